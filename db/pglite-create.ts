import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Makes a new embedded database directory in a process of its own.
 *
 * Creating a PGlite database (unpacking its file system image and running
 * initdb) allocates about 600 MB that the process never gives back to the
 * operating system, while opening an existing directory takes about 130 MB
 * (docs/decisions/022). The server, the CLI and the benchmarks therefore let
 * a short-lived child make the directory, then open it themselves; the child
 * runs only PGlite's own code, with nothing of the app.
 */
export function isNewDataDir(dir: string): boolean {
  return !fs.existsSync(path.join(dir, "PG_VERSION"));
}

const CREATE = `
const { PGlite } = await import(process.argv[1]);
const db = await PGlite.create({ dataDir: process.argv[2] });
await db.close();
`;

export async function createDataDirApart(dir: string): Promise<void> {
  // Resolved here, from the app's own dependencies, so the child loads the same PGlite.
  const { createRequire } = await import("node:module");
  const { pathToFileURL } = await import("node:url");
  const entry = createRequire(path.join(process.cwd(), "package.json")).resolve("@electric-sql/pglite");
  const url = pathToFileURL(entry.replace(/index\.cjs$/, "index.js")).href;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", CREATE, url, dir], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`creating the embedded database in ${dir} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-1000)}`)),
    );
  });
}
