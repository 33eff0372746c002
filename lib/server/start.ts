import { getEnv, isInngestConfigured } from "@/lib/env";
import { getDbHandle, closeDb } from "@/db/client";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { log } from "@/lib/log";
import { seedIfNewEmbedded } from "@/db/seed";
import { startEmbeddedScheduler, stopEmbeddedScheduler } from "@/inngest/scheduler";

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

  const shutdown = async (signal: string) => {
    log.info("server.stopping", { signal });
    await stopEmbeddedScheduler();
    await closeDb();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}
