// Isomorphic key helpers for "bring your own key" devices: the keypair is made
// in the browser so the private key never reaches our server. No node imports
// here (this file ends up in client bundles); tweetnacl picks
// crypto.getRandomValues in browsers and node:crypto in node by itself.
import nacl from "tweetnacl";

/**
 * 32 bytes in standard base64 is always 43 significant chars plus one '='.
 * The 43rd char carries 2 padding bits that must be zero; `wg` rejects keys
 * where they are not, so we do too.
 */
export const WG_KEY_REGEX = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export interface BrowserKeyPair {
  privateKey: string;
  publicKey: string;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const LOOKUP: Record<string, number> = Object.fromEntries(
  [...ALPHABET].map((c, i) => [c, i]),
);

/** Standard padded base64; written out because Buffer is absent in browsers. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : "=";
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : "=";
  }
  return out;
}

/** Strict padded base64 decoder; throws on anything else (no whitespace). */
export function decodeBase64(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Error("Invalid base64: length is not a multiple of 4");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s[i + j]!;
      const last = i + 4 === s.length;
      const v = c === "=" && last && j >= 4 - pad ? 0 : LOOKUP[c];
      if (v === undefined) throw new Error(`Invalid base64 character at ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function isWireGuardKeyBrowser(s: unknown): s is string {
  return typeof s === "string" && WG_KEY_REGEX.test(s);
}

/** RFC 7748 clamping, so the public key matches `wg pubkey` for any 32 bytes. */
function clamp(raw: Uint8Array): Uint8Array {
  const k = new Uint8Array(raw);
  k[0] = (k[0] ?? 0) & 248;
  k[31] = ((k[31] ?? 0) & 127) | 64;
  return k;
}

export function publicKeyFromPrivateBrowser(privateKey: string): string {
  if (!isWireGuardKeyBrowser(privateKey)) {
    throw new Error("Invalid WireGuard private key: expected 44-char base64 of 32 bytes");
  }
  return encodeBase64(nacl.scalarMult.base(clamp(decodeBase64(privateKey))));
}

export function generateKeyPairBrowser(): BrowserKeyPair {
  // Store the clamped scalar, as `wg genkey` does, so the private key shown
  // to the user is exactly the one WireGuard will use.
  const secret = clamp(nacl.randomBytes(32));
  return {
    privateKey: encodeBase64(secret),
    publicKey: encodeBase64(nacl.scalarMult.base(secret)),
  };
}
