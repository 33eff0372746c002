import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { EnvError, parseEnv, resetEnv } from "@/lib/env";
import { clientIp, normalizeAddress, resolveClientIp, type TrustedProxies } from "@/lib/http/client-ip";
import { installPeerAddressHeader } from "@/lib/http/peer-address";

/**
 * Which address a request is counted and recorded under. Proxies append the
 * address they received a request from to X-Forwarded-For, so only its right
 * end is theirs; everything a client sends itself is on the left.
 */
const UNSET: TrustedProxies = { kind: "none" };
const hops = (n: number): TrustedProxies => ({ kind: "hops", hops: n });
const cidrs = (...list: string[]): TrustedProxies => ({ kind: "cidrs", cidrs: list });
const resolve = (peer: string | null, forwardedFor: string | null, trusted: TrustedProxies) => resolveClientIp({ peer, forwardedFor }, trusted);

describe("TRUSTED_PROXIES", () => {
  it("is parsed into nobody, a number of hops or a list of ranges", () => {
    expect(parseEnv({}).TRUSTED_PROXIES).toEqual(UNSET);
    expect(parseEnv({ TRUSTED_PROXIES: "" }).TRUSTED_PROXIES).toEqual(UNSET);
    expect(parseEnv({ TRUSTED_PROXIES: "   " }).TRUSTED_PROXIES).toEqual(UNSET);
    expect(parseEnv({ TRUSTED_PROXIES: "2" }).TRUSTED_PROXIES).toEqual(hops(2));
    expect(parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, fd00::/8,192.0.2.7" }).TRUSTED_PROXIES).toEqual(cidrs("10.0.0.0/8", "fd00::/8", "192.0.2.7"));
  });

  it("stops start-up on a bad value, naming the variable", () => {
    for (const bad of ["0", "17", "-1", "1.5", "two", "10.0.0.0/33", "10.0.0.0/8,", "10.0.0.0/8;fd00::/8", "1,10.0.0.0/8", "localhost", "fe80::1%eth0"]) {
      expect(() => parseEnv({ TRUSTED_PROXIES: bad }), bad).toThrow(EnvError);
      expect(() => parseEnv({ TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES: must be/);
    }
  });
});

describe("normalizeAddress", () => {
  it("gives one text per address and refuses anything else", () => {
    expect(normalizeAddress(" 198.51.100.7 ")).toBe("198.51.100.7");
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("::FFFF:7f00:1")).toBe("127.0.0.1");
    expect(normalizeAddress("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("[2001:db8::1]:8443")).toBe("2001:db8::1");
    expect(normalizeAddress("198.51.100.7:51234")).toBe("198.51.100.7");
    // IPv4-compatible is not IPv4-mapped: not the same client as 192.0.2.1.
    expect(normalizeAddress("::192.0.2.1")).toBe("::c000:201");
    // Octal, hex, short and integer IPv4 forms (which ipaddr.js alone would read) and zones on IPv4 are refused.
    const lenient = ["010.0.0.1", "0xa.0.0.1", "10.1", "167772161", "::ffff:010.0.0.1", "::ffff:0xa.0.0.1", "192.0.2.1%eth0"];
    for (const garbage of ["", "unknown", "_hidden", "198.51.100", "198.51.100.256", ...lenient, "2001:db8::1::2", "1.2.3.4 5.6.7.8", "<script>", "x".repeat(5000)]) {
      expect(normalizeAddress(garbage), garbage).toBeNull();
    }
  });
});

describe("resolveClientIp", () => {
  it("unset: the TCP peer, whatever X-Forwarded-For says (X-Real-IP is never read)", () => {
    expect(resolve("127.0.0.1", "203.0.113.9", UNSET)).toBe("127.0.0.1");
    expect(resolve("192.0.2.10", "203.0.113.9, 198.51.100.1", UNSET)).toBe("192.0.2.10");
    expect(resolve("::ffff:192.0.2.10", null, UNSET)).toBe("192.0.2.10");
    // Without a known peer there is no address: never the header's word instead.
    expect(resolve(null, "203.0.113.9", UNSET)).toBeNull();
    expect(resolve(null, "203.0.113.9", cidrs("0.0.0.0/0"))).toBeNull();
    expect(resolve(null, "203.0.113.9", hops(2))).toBeNull();
    // A hop count needs no peer when the request came through every proxy.
    expect(resolve(null, "203.0.113.9", hops(1))).toBe("203.0.113.9");
  });

  it("N hops: the N-th entry from the right", () => {
    const header = "203.0.113.66, 198.51.100.7, 10.0.0.2";
    expect(resolve("10.0.0.1", header, hops(1))).toBe("10.0.0.2");
    expect(resolve("10.0.0.1", header, hops(2))).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", header, hops(3))).toBe("203.0.113.66");
    // Several header lines arrive joined with commas.
    expect(resolve("10.0.0.1", "198.51.100.7,10.0.0.2", hops(2))).toBe("198.51.100.7");
  });

  it("N hops: a request with fewer entries did not come through every proxy, and counts under its TCP peer", () => {
    expect(resolve("10.0.0.1", "203.0.113.66", hops(2))).toBe("10.0.0.1");
    expect(resolve("198.51.100.7", null, hops(1))).toBe("198.51.100.7");
    expect(resolve("198.51.100.7", "", hops(1))).toBe("198.51.100.7");
  });

  it("CIDR ranges: the first hop from the right outside them", () => {
    const trusted = cidrs("10.0.0.0/8", "fd00::/8");
    expect(resolve("10.0.0.1", "203.0.113.66, 198.51.100.7, 10.9.8.7", trusted)).toBe("198.51.100.7");
    expect(resolve("fd00::1", "203.0.113.66, 2001:db8::7, fd12::3", trusted)).toBe("2001:db8::7");
    expect(resolve("::ffff:10.0.0.1", "198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", "198.51.100.7", cidrs("::ffff:10.0.0.0/104"))).toBe("198.51.100.7");
    expect(resolve("192.0.2.7", "198.51.100.7", cidrs("192.0.2.7"))).toBe("198.51.100.7");
    // Prefixes off byte boundaries, and host bits set in a range, as lib/env lets through.
    expect(resolve("10.127.255.255", "198.51.100.7", cidrs("10.0.0.0/9"))).toBe("198.51.100.7");
    expect(resolve("10.128.0.1", "198.51.100.7", cidrs("10.0.0.0/9"))).toBe("10.128.0.1");
    expect(resolve("10.128.0.1", "198.51.100.7", cidrs("10.200.0.1/9"))).toBe("198.51.100.7");
    expect(resolve("fd12::3", "2001:db8::7", cidrs("fc00::/7"))).toBe("2001:db8::7");
    expect(resolve("2001:db8:8000::1", "2001:db8::7", cidrs("2001:db8::/33"))).toBe("2001:db8:8000::1");
    // IPv4 and IPv6 ranges never cover the other family (mapped addresses are IPv4).
    expect(resolve("10.0.0.1", "198.51.100.7", cidrs("::/0"))).toBe("10.0.0.1");
    expect(resolve("::ffff:10.0.0.1", "198.51.100.7", cidrs("::/0"))).toBe("10.0.0.1");
    expect(resolve("fd00::1", "198.51.100.7", cidrs("0.0.0.0/0"))).toBe("fd00::1");
    expect(resolve("::ffff:10.0.0.1", "198.51.100.7", cidrs("::ffff:0:0/96"))).toBe("198.51.100.7");
    // Every hop inside the ranges: the request came from inside, the leftmost hop is the client.
    expect(resolve("10.0.0.1", "10.1.1.1, 10.0.0.2", trusted)).toBe("10.1.1.1");
    expect(resolve("10.0.0.1", null, trusted)).toBe("10.0.0.1");
  });

  it("CIDR ranges: a TCP peer outside them means no proxy of ours spoke, and the header is ignored", () => {
    const trusted = cidrs("10.0.0.0/8");
    expect(resolve("198.51.100.7", "10.0.0.5", trusted)).toBe("198.51.100.7");
    expect(resolve("198.51.100.7", "203.0.113.66, 10.0.0.5", trusted)).toBe("198.51.100.7");
    expect(resolve("11.0.0.1", "203.0.113.66", trusted)).toBe("11.0.0.1");
  });

  it("spoofed entries on the left never win, however many", () => {
    const spoofed = Array.from({ length: 50 }, (_, i) => `203.0.113.${i}`).join(", ");
    expect(resolve("127.0.0.1", spoofed, UNSET)).toBe("127.0.0.1");
    expect(resolve("10.0.0.1", `${spoofed}, 198.51.100.7`, hops(1))).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", `${spoofed}, 198.51.100.7, 10.0.0.2`, hops(2))).toBe("198.51.100.7");
    expect(resolve("10.0.0.1", `${spoofed}, 198.51.100.7, 10.0.0.2`, cidrs("10.0.0.0/8"))).toBe("198.51.100.7");
    // A client that forges a trusted range's address still ends the walk at its real address.
    expect(resolve("10.0.0.1", "10.0.0.99, 198.51.100.7", cidrs("10.0.0.0/8"))).toBe("198.51.100.7");
  });

  it("an entry that is not an address ends the walk at the hop that wrote it", () => {
    expect(resolve("10.0.0.1", "198.51.100.7, unknown", hops(1))).toBe("10.0.0.1");
    expect(resolve("10.0.0.1", "198.51.100.7, unknown, 10.0.0.2", hops(2))).toBe("10.0.0.2");
    expect(resolve("10.0.0.1", "198.51.100.7, , 10.0.0.2", hops(2))).toBe("10.0.0.2");
    expect(resolve("10.0.0.1", "198.51.100.7, <script>", cidrs("10.0.0.0/8"))).toBe("10.0.0.1");
    expect(resolve("10.0.0.1", "junk, 10.0.0.2", cidrs("10.0.0.0/8"))).toBe("10.0.0.2");
    // Garbage left of the client is the client's own business.
    expect(resolve("10.0.0.1", "junk, 198.51.100.7", hops(1))).toBe("198.51.100.7");
    // A peer that is not an address is no peer.
    expect(resolve("not-an-address", "198.51.100.7", UNSET)).toBeNull();
    expect(resolve("not-an-address", "198.51.100.7", cidrs("0.0.0.0/0"))).toBeNull();
  });
});

describe("clientIp on a real socket", () => {
  let server: http.Server;
  let base: string;
  let seen: { ip: string | null; headerNames: string[] }[] = [];

  beforeAll(async () => {
    installPeerAddressHeader();
    server = http.createServer((req, res) => {
      // As Next does: X-Forwarded-For filled with the socket's address when absent, then the web Headers.
      req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
      const headers = new Headers(Object.entries(req.headers).map(([k, v]): [string, string] => [k, String(v)]));
      seen.push({ ip: clientIp(headers), headerNames: [...headers.keys()] });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    resetEnv({ TRUSTED_PROXIES: undefined });
    await new Promise((r) => server.close(r));
  });

  async function ask(headers: Record<string, string>) {
    seen = [];
    await (await fetch(base, { headers })).arrayBuffer();
    return seen[0]!;
  }

  it("reads the peer the socket saw, not a header a client can write", async () => {
    resetEnv({ TRUSTED_PROXIES: undefined });
    const first = await ask({ "x-forwarded-for": "203.0.113.66", "x-real-ip": "203.0.113.67" });
    expect(first.ip).toBe("127.0.0.1");
    // A client that learned the header's name still cannot set it.
    const peerHeader = first.headerNames.find((n) => n.startsWith("x-securewave-peer-"))!;
    expect(peerHeader).toMatch(/^x-securewave-peer-[0-9a-f]{32}$/);
    expect((await ask({ [peerHeader]: "203.0.113.66", "x-forwarded-for": "203.0.113.66" })).ip).toBe("127.0.0.1");
    // With no header at all, Next's own filling-in is not mistaken for a proxy's word.
    resetEnv({ TRUSTED_PROXIES: "2" });
    expect((await ask({})).ip).toBe("127.0.0.1");
  });

  it("believes the header as far as the setting says", async () => {
    resetEnv({ TRUSTED_PROXIES: "1" });
    expect((await ask({ "x-forwarded-for": "203.0.113.66, 198.51.100.7" })).ip).toBe("198.51.100.7");
    resetEnv({ TRUSTED_PROXIES: "127.0.0.0/8" });
    expect((await ask({ "x-forwarded-for": "203.0.113.66, 198.51.100.7" })).ip).toBe("198.51.100.7");
    resetEnv({ TRUSTED_PROXIES: "10.0.0.0/8" });
    expect((await ask({ "x-forwarded-for": "203.0.113.66, 198.51.100.7" })).ip).toBe("127.0.0.1");
  });
});
