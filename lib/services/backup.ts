import "server-only";
import { getDbHandle } from "@/db/client";

/**
 * A consistent snapshot of the embedded database as a tar archive (PGlite's
 * own dump of its data directory), taken while the app runs. PostgreSQL is
 * backed up with its own tools (pg_dump / base backups), see the README.
 */
export async function backupEmbedded(): Promise<Buffer> {
  const handle = await getDbHandle();
  if (handle.kind !== "pglite") throw new Error("Backups of PostgreSQL are taken with pg_dump; this command is for the embedded database");
  const client = (handle.db as unknown as { $client: { dumpDataDir(c?: "none" | "gzip"): Promise<Blob> } }).$client;
  return Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer());
}
