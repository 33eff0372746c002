import { getEnv, isInngestConfigured } from "@/lib/env";
import { getDbHandle, closeDb } from "@/db/client";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { log } from "@/lib/log";
import { seedIfNewEmbedded } from "@/lib/server/demo-seed";
import { startEmbeddedScheduler, stopEmbeddedScheduler } from "@/lib/jobs/scheduler";
import { installShutdown } from "./shutdown";

const g = globalThis as unknown as { __swStarted?: boolean };

export async function startServer(): Promise<void> {
  if (g.__swStarted) return;
  g.__swStarted = true;
  const env = getEnv();
  getRuntimeSecrets();
  const handle = await getDbHandle();
  await seedIfNewEmbedded(handle);
  if (!isInngestConfigured(env)) startEmbeddedScheduler();
  log.info("server.started", { database: handle.kind, jobs: isInngestConfigured(env) ? "inngest" : "embedded" });
  installShutdown({ timeoutMs: env.SHUTDOWN_TIMEOUT_MS, stopJobs: stopEmbeddedScheduler, closeDb });
}
