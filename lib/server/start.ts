import "server-only";
import { getEnv, isInngestConfigured } from "@/lib/env";
import { getDbHandle, closeDb } from "@/db/client";
import { DataDirLockedError } from "@/db/lock";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { log } from "@/lib/log";
import { seedIfNewEmbedded } from "@/lib/server/demo-seed";
import { startEmbeddedScheduler, stopEmbeddedScheduler } from "@/lib/jobs/scheduler";
import { verifyEncryptionKeys, KeyCheckError } from "@/lib/services/key-check";
import { installShutdown } from "./shutdown";
import { installDatabaseProbe } from "@/lib/http/availability";
import { sql } from "drizzle-orm";
import { answerMetricsRequests, isClusterWorker } from "@/lib/metrics/cluster";
import { localMetricsJson } from "@/lib/metrics/registry";

/** A probe slower than this counts as a database that does not answer. */
const PROBE_TIMEOUT_MS = 2_000;

const g = globalThis as unknown as { __swStarted?: boolean };

export async function startServer(): Promise<void> {
  if (g.__swStarted) return;
  g.__swStarted = true;
  const env = getEnv();
  getRuntimeSecrets();
  const handle = await getDbHandle().catch((err: unknown) => {
    // Another process holds the embedded data directory: serving beside it would lose data, so do not start at all.
    if (err instanceof DataDirLockedError) {
      log.error("server.data_dir_locked", { dir: err.dir, holder: err.owner, message: err.message });
      console.error(`Error: ${err.message}`);
      process.exit(1);
    }
    throw err;
  });
  // Before anything is sealed (the demo seed included): a wrong master key must not start at all.
  try {
    await verifyEncryptionKeys();
  } catch (err) {
    if (!(err instanceof KeyCheckError)) throw err;
    log.error("server.key_check_failed", { reason: err.message });
    // The framework may only log a failed start hook and serve anyway: leave no doubt.
    process.exit(1);
  }
  await seedIfNewEmbedded(handle);
  // The embedded database lives and dies with this process; only a server can be away.
  if (handle.kind === "postgres") {
    installDatabaseProbe(async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("database probe timed out")), PROBE_TIMEOUT_MS);
      });
      try {
        await Promise.race([handle.db.execute(sql`select 1`), late]);
        return true;
      } finally {
        clearTimeout(timer);
      }
    });
  }
  // A worker of scripts/cluster.mjs: the other workers' scrapes count this one's requests and jobs too.
  answerMetricsRequests(() => localMetricsJson());
  if (!isInngestConfigured(env)) startEmbeddedScheduler();
  log.info("server.started", { database: handle.kind, jobs: isInngestConfigured(env) ? "inngest" : "embedded" });
  installShutdown({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS, stopJobs: stopEmbeddedScheduler, closeDb });
  // A worker of scripts/cluster.mjs: started (keys checked, database reached), so a later exit is a crash, not a failed start.
  if (isClusterWorker()) process.send!({ type: "sw:ready" });
}
