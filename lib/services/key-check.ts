import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type Db } from "@/db/client";
import { EnvError } from "@/lib/env";
import { keyCheckValues, unseal } from "@/lib/crypto/seal";

/** A configured master key that is not the one its key id sealed with: the process must not start. */
export class KeyCheckError extends EnvError {}

/**
 * Security-critical. Checks every configured master key (ENCRYPTION_KEY and
 * each of ENCRYPTION_KEYS_OLD) against the check value the database keeps for
 * its key id, before anything is sealed or unsealed. A wrong key would
 * otherwise start healthy and seal new secrets under an id whose other
 * holders cannot open them, breaking whole server configs everywhere.
 *
 * A key id seen for the first time gets its check value (`on conflict do
 * nothing`, then read back: of two instances starting together with
 * different keys, one wins and the other refuses). Before that first write,
 * if secrets sealed under that id already exist (a database from before
 * these checks), one of them must open with the key, so that the first start
 * after an upgrade cannot record a wrong key either.
 */
export async function verifyEncryptionKeys(): Promise<void> {
  const db = await getDb();
  for (const { keyId, variable, checkValue } of keyCheckValues()) {
    const name = variable === "ENCRYPTION_KEY" ? `ENCRYPTION_KEY (key id "${keyId}", ENCRYPTION_KEY_ID)` : `ENCRYPTION_KEYS_OLD (key id "${keyId}")`;
    const refuse = (why: string) =>
      new KeyCheckError(
        `${name} is not the key this database was sealed with: ${why}. Set ${variable} to the key used before ` +
          `(or give a new key a new id; see README "Security"). Refusing to start.`,
      );
    let [stored] = await rows<{ check_value: string }>(db, sql`select check_value from encryption_key_checks where key_id = ${keyId}`);
    if (!stored) {
      if (!(await opensExistingSecret(db, keyId))) throw refuse("a secret sealed under this key id does not open with it");
      await db.execute(sql`insert into encryption_key_checks (key_id, check_value) values (${keyId}, ${checkValue}) on conflict (key_id) do nothing`);
      [stored] = await rows<{ check_value: string }>(db, sql`select check_value from encryption_key_checks where key_id = ${keyId}`);
    }
    if (stored?.check_value !== checkValue) throw refuse("its check value differs from the one stored for this key id");
  }
}

/** True when no secret is sealed under `keyId` yet, or one of them opens with the configured key. */
async function opensExistingSecret(db: Db, keyId: string): Promise<boolean> {
  const prefix = `v1.${keyId}.`;
  const [sample] = await rows<{ v: string }>(
    db,
    sql`(select private_key_sealed as v from vpn_servers where left(private_key_sealed, ${prefix.length}) = ${prefix} limit 1)
        union all
        (select private_key_sealed from wireguard_peers where left(private_key_sealed, ${prefix.length}) = ${prefix} limit 1)
        limit 1`,
  );
  if (!sample) return true;
  try {
    unseal(sample.v);
    return true;
  } catch {
    return false;
  }
}
