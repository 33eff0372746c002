import fs from "node:fs";
import path from "node:path";
import { backupEmbedded } from "@/lib/services/backup";
import { required, type Command } from "./types";

export const dbBackup: Command = {
  name: "db:backup",
  summary: "Write a snapshot of the embedded database to a .tar.gz file (run it while the app is stopped, or use the data directory copy described in the README)",
  usage: "db:backup --out FILE.tar.gz",
  options: { out: { type: "string" } },
  async run(v) {
    const out = path.resolve(required(v, "out"));
    const archive = await backupEmbedded();
    fs.writeFileSync(out, archive, { mode: 0o600 });
    console.log(`wrote ${out} (${archive.length} bytes)`);
  },
};

export const dbRestore: Command = {
  name: "db:restore",
  summary: "Create an embedded database directory from a db:backup archive (DATABASE_URL must name a new, empty directory)",
  usage: "db:restore --from FILE.tar.gz",
  options: { from: { type: "string" } },
  async run(v) {
    const from = path.resolve(required(v, "from"));
    const { getEnv } = await import("@/lib/env");
    const { describeDatabaseUrl, openDatabase } = await import("@/db/client");
    const target = describeDatabaseUrl(getEnv().DATABASE_URL, getEnv().DATA_DIR);
    if (target.kind !== "pglite" || !target.dir) throw new Error("db:restore needs DATABASE_URL (or DATA_DIR) to name an embedded database directory");
    if (fs.existsSync(target.dir) && fs.readdirSync(target.dir).length > 0) throw new Error(`${target.dir} is not empty: restore into a new directory`);
    const handle = await openDatabase({ migrate: true, loadDataDir: new Blob([fs.readFileSync(from)]) });
    await handle.close();
    console.log(`restored ${from} into ${target.dir}`);
  },
};
