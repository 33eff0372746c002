// Server-side WireGuard key material. Node's X25519 is ~4x faster than
// tweetnacl for bulk generation (seed data, rotation batches), so it is the
// default; tweetnacl is only used to derive a public key from a stored
// private key, where no DER round-trip is available.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import nacl from "tweetnacl";
import { WG_KEY_REGEX } from "./keys-browser";

export interface WireGuardKeyPair {
  privateKey: string;
  publicKey: string;
}

// One definition shared with the browser module, so forms and the server
// agree on what a key is.
export { WG_KEY_REGEX };

const RAW_KEY_BYTES = 32;

/** Raw X25519 keys are the trailing 32 bytes of both PKCS8 and SPKI DER. */
function rawTail(der: Buffer): Buffer {
  return der.subarray(der.length - RAW_KEY_BYTES);
}

export function generateKeyPair(): WireGuardKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("x25519", {
    privateKeyEncoding: { type: "pkcs8", format: "der" },
    publicKeyEncoding: { type: "spki", format: "der" },
  });
  return {
    privateKey: rawTail(privateKey).toString("base64"),
    publicKey: rawTail(publicKey).toString("base64"),
  };
}

export function generatePresharedKey(): string {
  return randomBytes(RAW_KEY_BYTES).toString("base64");
}

/**
 * Strict check: the regex pins the length and forbids non-canonical padding
 * bits (the last char before '=' must encode zeros in its low 2 bits), so a
 * key that passes round-trips byte for byte through `wg`.
 */
export function isWireGuardKey(s: unknown): s is string {
  if (typeof s !== "string" || !WG_KEY_REGEX.test(s)) return false;
  return Buffer.from(s, "base64").length === RAW_KEY_BYTES;
}

/** Clamp as in RFC 7748 so results match `wg pubkey` for any 32 bytes. */
export function clampPrivateKey(raw: Uint8Array): Uint8Array {
  const k = new Uint8Array(raw);
  k[0] = (k[0] ?? 0) & 248;
  k[31] = ((k[31] ?? 0) & 127) | 64;
  return k;
}

export function publicKeyFromPrivate(privateKey: string): string {
  if (!isWireGuardKey(privateKey)) {
    throw new Error("Invalid WireGuard private key: expected 44-char base64 of 32 bytes");
  }
  const raw = new Uint8Array(Buffer.from(privateKey, "base64"));
  const pub = nacl.scalarMult.base(clampPrivateKey(raw));
  return Buffer.from(pub).toString("base64");
}
