import { createPrivateKey, createPublicKey, diffieHellman } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  WG_KEY_REGEX,
  clampPrivateKey,
  generateKeyPair,
  generatePresharedKey,
  isWireGuardKey,
  publicKeyFromPrivate,
} from "@/lib/wireguard/keys";

describe("generateKeyPair", () => {
  it("produces 44-char base64 keys of 32 bytes", () => {
    const { privateKey, publicKey } = generateKeyPair();
    for (const k of [privateKey, publicKey]) {
      expect(k).toHaveLength(44);
      expect(k.endsWith("=")).toBe(true);
      expect(Buffer.from(k, "base64")).toHaveLength(32);
      expect(isWireGuardKey(k)).toBe(true);
    }
    expect(privateKey).not.toBe(publicKey);
  });

  it("tweetnacl-derived public keys equal node:crypto ones for 50 keys", () => {
    for (let i = 0; i < 50; i++) {
      const { privateKey, publicKey } = generateKeyPair();
      expect(publicKeyFromPrivate(privateKey)).toBe(publicKey);
    }
  });

  it("never repeats", () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateKeyPair().privateKey));
    expect(keys.size).toBe(200);
  });

  it("raw keys round-trip into node KeyObjects that agree on a shared secret", () => {
    // Guards the "last 32 bytes of the DER" extraction: if it took the wrong
    // bytes, rebuilding the KeyObjects would give a different DH result.
    const pkcs8Prefix = Buffer.from("302e020100300506032b656e04220420", "hex");
    const spkiPrefix = Buffer.from("302a300506032b656e032100", "hex");
    const a = generateKeyPair();
    const b = generateKeyPair();
    const priv = (k: string) =>
      createPrivateKey({ key: Buffer.concat([pkcs8Prefix, Buffer.from(k, "base64")]), format: "der", type: "pkcs8" });
    const pub = (k: string) =>
      createPublicKey({ key: Buffer.concat([spkiPrefix, Buffer.from(k, "base64")]), format: "der", type: "spki" });
    const ab = diffieHellman({ privateKey: priv(a.privateKey), publicKey: pub(b.publicKey) });
    const ba = diffieHellman({ privateKey: priv(b.privateKey), publicKey: pub(a.publicKey) });
    expect(ab.equals(ba)).toBe(true);
  });
});

describe("publicKeyFromPrivate", () => {
  it("matches the RFC 7748 section 6.1 test vector", () => {
    const alicePriv = Buffer.from("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", "hex");
    const alicePub = Buffer.from("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", "hex");
    expect(publicKeyFromPrivate(alicePriv.toString("base64"))).toBe(alicePub.toString("base64"));
  });

  it("clamps, so an unclamped secret gives the same key as its clamped form", () => {
    const raw = new Uint8Array(32).fill(0xff);
    const clamped = clampPrivateKey(raw);
    expect(clamped[0]).toBe(0xf8);
    expect(clamped[31]).toBe(0x7f);
    expect(raw[0]).toBe(0xff); // input untouched
    expect(publicKeyFromPrivate(Buffer.from(raw).toString("base64"))).toBe(
      publicKeyFromPrivate(Buffer.from(clamped).toString("base64")),
    );
  });

  it("rejects malformed keys", () => {
    expect(() => publicKeyFromPrivate("nope")).toThrow(/Invalid WireGuard private key/);
  });
});

describe("generatePresharedKey", () => {
  it("is 32 random bytes in base64", () => {
    const a = generatePresharedKey();
    expect(isWireGuardKey(a)).toBe(true);
    expect(generatePresharedKey()).not.toBe(a);
  });
});

describe("isWireGuardKey / WG_KEY_REGEX", () => {
  const good = Buffer.alloc(32, 7).toString("base64");

  it("accepts a canonical 32-byte key", () => {
    expect(good).toBe("BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=");
    expect(isWireGuardKey(good)).toBe(true);
    expect(WG_KEY_REGEX.test(good)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["too short", good.slice(1)],
    ["too long", good + "="],
    ["no padding", good.slice(0, 43) + "A"],
    ["31 bytes (double padding)", Buffer.alloc(31, 7).toString("base64")],
    ["url-safe alphabet", "-_" + good.slice(2)],
    ["whitespace", " " + good.slice(1)],
    // "Bwd=" sets padding bits the 32 bytes cannot hold; `wg` refuses these.
    ["non-canonical padding bits", good.slice(0, 42) + "d="],
  ])("rejects %s", (_name, key) => {
    expect(isWireGuardKey(key)).toBe(false);
  });

  it("rejects non-strings", () => {
    expect(isWireGuardKey(undefined)).toBe(false);
    expect(isWireGuardKey(42)).toBe(false);
  });
});
