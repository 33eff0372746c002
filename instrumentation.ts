/**
 * Runs once per server process before the first request: validate the
 * environment, open and migrate the database (seeding a new embedded one),
 * start the embedded job scheduler when Inngest is not configured.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/server/start");
  await startServer();
}
