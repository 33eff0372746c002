import { createHash, createHmac } from "node:crypto";
import nacl from "tweetnacl";
import { getEnv } from "@/lib/env";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";

/**
 * Security-critical. Secrets at rest (WireGuard private and preshared keys)
 * are sealed with tweetnacl secretbox (XSalsa20-Poly1305) under a master key
 * named by an id: `v1.<keyId>.<nonce b64>.<box b64>`. The id lets the master
 * key rotate: ENCRYPTION_KEY/ENCRYPTION_KEY_ID seal, and keys listed in
 * ENCRYPTION_KEYS_OLD still open what they sealed until `keys:reseal` ran.
 */
type Keyring = { currentId: string; keys: Map<string, Uint8Array>; fingerprint: string };

let cached: { env: object; secret: string; ring: Keyring } | undefined;

function keyring(): Keyring {
  const env = getEnv();
  const current = getRuntimeSecrets().encryptionKey;
  // Fast path: the same settings objects as last time (unseal runs 10,000 times per server config build).
  if (cached && cached.env === env && cached.secret === current) return cached.ring;
  const source = `${env.ENCRYPTION_KEY_ID}|${current}|${env.ENCRYPTION_KEYS_OLD ?? ""}`;
  if (cached?.ring.fingerprint === source) {
    cached = { env, secret: current, ring: cached.ring };
    return cached.ring;
  }
  const keys = new Map<string, Uint8Array>();
  for (const pair of (env.ENCRYPTION_KEYS_OLD ?? "").split(",").filter(Boolean)) {
    const [id, key] = pair.split(":");
    keys.set(id!, new Uint8Array(Buffer.from(key!, "base64")));
  }
  keys.set(env.ENCRYPTION_KEY_ID, new Uint8Array(Buffer.from(current, "base64")));
  cached = { env, secret: current, ring: { currentId: env.ENCRYPTION_KEY_ID, keys, fingerprint: source } };
  return cached.ring;
}

/**
 * Identifies the master keys in use, so that caches of unsealed values
 * (lib/services/server-config) are dropped when the keys change. Not secret
 * material: a hash, never the keys.
 */
export function keyringGeneration(): string {
  const ring = keyring();
  return (ring as Keyring & { generation?: string }).generation ??= createHash("sha256").update(ring.fingerprint).digest("base64url");
}

/**
 * Security-critical. A check value per configured master key, compared with
 * the one kept in the database (lib/services/key-check) so that a wrong key
 * refuses to start instead of sealing new secrets that no other instance can
 * open. An HMAC of a fixed text: it shows whether two keys are equal and
 * nothing else about them. `variable` names where the key came from.
 */
export const KEY_CHECK_TEXT = "securewave key check v1";
export function keyCheckValues(): { keyId: string; variable: "ENCRYPTION_KEY" | "ENCRYPTION_KEYS_OLD"; checkValue: string }[] {
  const ring = keyring();
  return [...ring.keys].map(([keyId, key]) => ({
    keyId,
    variable: keyId === ring.currentId ? "ENCRYPTION_KEY" : "ENCRYPTION_KEYS_OLD",
    checkValue: createHmac("sha256", key).update(KEY_CHECK_TEXT).digest("base64url"),
  }));
}

export function seal(plaintext: string): string {
  const ring = keyring();
  const nonce = nacl.randomBytes(nacl.secretbox.nonceLength);
  const box = nacl.secretbox(new TextEncoder().encode(plaintext), nonce, ring.keys.get(ring.currentId)!);
  return `v1.${ring.currentId}.${Buffer.from(nonce).toString("base64")}.${Buffer.from(box).toString("base64")}`;
}

export function unseal(sealed: string): string {
  const [version, id, nonce, box] = sealed.split(".");
  if (version !== "v1" || !id || !nonce || !box) throw new Error("Sealed value is malformed");
  const key = keyring().keys.get(id);
  if (!key) throw new Error(`No master key with id "${id}" is configured`);
  // Buffers are Uint8Arrays: no copies needed for tweetnacl.
  const opened = nacl.secretbox.open(Buffer.from(box, "base64"), Buffer.from(nonce, "base64"), key);
  if (!opened) throw new Error("Sealed value failed authentication");
  return Buffer.from(opened.buffer, opened.byteOffset, opened.byteLength).toString("utf8");
}
