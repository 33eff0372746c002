import nacl from "tweetnacl";
import { describe, expect, it } from "vitest";
import {
  decodeBase64,
  encodeBase64,
  generateKeyPairBrowser,
  isWireGuardKeyBrowser,
  publicKeyFromPrivateBrowser,
} from "@/lib/wireguard/keys-browser";
import { isWireGuardKey, publicKeyFromPrivate } from "@/lib/wireguard/keys";

describe("base64 without Buffer", () => {
  it("matches Buffer for every length 0..70 and random content", () => {
    for (let len = 0; len <= 70; len++) {
      const bytes = nacl.randomBytes(len);
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString("base64"));
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
    }
  });

  it("handles RFC 4648 vectors", () => {
    const enc = new TextEncoder();
    const vectors: Array<[string, string]> = [
      ["", ""], ["f", "Zg=="], ["fo", "Zm8="], ["foo", "Zm9v"], ["foob", "Zm9vYg=="], ["fooba", "Zm9vYmE="], ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, b64] of vectors) {
      expect(encodeBase64(enc.encode(plain))).toBe(b64);
      expect(new TextDecoder().decode(decodeBase64(b64))).toBe(plain);
    }
  });

  it.each(["Zg=", "Z===", "Zm9v!A==", "=Zm9", "Zg==Zg==", "Zm 9v"])("rejects %j", (bad) => {
    expect(() => decodeBase64(bad)).toThrow(/Invalid base64/);
  });
});

describe("generateKeyPairBrowser", () => {
  it("produces valid keys consistent with the server-side derivation", () => {
    for (let i = 0; i < 50; i++) {
      const { privateKey, publicKey } = generateKeyPairBrowser();
      expect(isWireGuardKey(privateKey)).toBe(true);
      expect(isWireGuardKey(publicKey)).toBe(true);
      expect(isWireGuardKeyBrowser(publicKey)).toBe(true);
      expect(publicKeyFromPrivate(privateKey)).toBe(publicKey);
      expect(publicKeyFromPrivateBrowser(privateKey)).toBe(publicKey);
    }
  });

  it("stores the clamped scalar like `wg genkey`", () => {
    const raw = decodeBase64(generateKeyPairBrowser().privateKey);
    expect(raw[0]! & 7).toBe(0);
    expect(raw[31]! & 0x80).toBe(0);
    expect(raw[31]! & 0x40).toBe(0x40);
  });

  it("does not use Buffer (works where it is absent)", () => {
    const saved = globalThis.Buffer;
    // @ts-expect-error simulating a browser global scope
    delete globalThis.Buffer;
    try {
      const { privateKey, publicKey } = generateKeyPairBrowser();
      expect(publicKeyFromPrivateBrowser(privateKey)).toBe(publicKey);
    } finally {
      globalThis.Buffer = saved;
    }
  });
});
