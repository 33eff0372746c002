/**
 * Runs once per server process before the first request: mark every request
 * with its TCP peer (as early as possible: requests accepted before this have
 * none), keep statement parameters out of what the framework logs, validate the environment, open and migrate the database (seeding a
 * new embedded one), start the embedded job scheduler when Inngest is not
 * configured.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHeader } = await import("@/lib/http/peer-address");
  installPeerAddressHeader();
  const { redactConsoleErrors } = await import("@/lib/log");
  redactConsoleErrors();
  const { startServer } = await import("@/lib/server/start");
  await startServer();
}
