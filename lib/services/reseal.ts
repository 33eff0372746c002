import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { getEnv } from "@/lib/env";
import { seal, unseal } from "@/lib/crypto/seal";

/** Every column that holds a sealed secret, with its table's key. */
const SEALED = [
  { table: "vpn_servers", key: "id", column: "private_key_sealed" },
  { table: "wireguard_peers", key: "id", column: "private_key_sealed" },
  { table: "wireguard_peers", key: "id", column: "preshared_key_sealed" },
  { table: "peer_previous_keys", key: "public_key", column: "preshared_key_sealed" },
] as const;

const BATCH = 500;

/**
 * Re-seals every secret under the current master key (ENCRYPTION_KEY_ID),
 * batch by batch, while the app keeps running: values sealed under an old id
 * stay readable through ENCRYPTION_KEYS_OLD until this finishes. Each batch
 * only replaces a value that has not changed since it was read.
 */
export async function resealAll(progress: (column: string, done: number) => void = () => {}): Promise<number> {
  const db = await getDb();
  const current = `v1.${getEnv().ENCRYPTION_KEY_ID}.`;
  let total = 0;
  for (const { table, key, column } of SEALED) {
    let done = 0;
    for (;;) {
      const batch = await rows<{ k: string; v: string }>(
        db,
        sql`select ${sql.identifier(key)} as k, ${sql.identifier(column)} as v from ${sql.identifier(table)}
            where ${sql.identifier(column)} is not null and ${sql.identifier(column)} not like ${current + "%"} limit ${BATCH}`,
      );
      if (batch.length === 0) break;
      const updates = batch.map((r) => ({ k: r.k, old: r.v, v: seal(unseal(r.v)) }));
      await db.execute(sql`
        update ${sql.identifier(table)} t set ${sql.identifier(column)} = u.v
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(k text, old text, v text)
        where t.${sql.identifier(key)} = u.k and t.${sql.identifier(column)} = u.old`);
      done += batch.length;
      total += batch.length;
      progress(`${table}.${column}`, done);
    }
  }
  return total;
}
