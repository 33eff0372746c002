import { describe, expect, it } from "vitest";
import ipaddr from "ipaddr.js";
import {
  DEFAULT_IPV4_POOL,
  DEFAULT_IPV6_POOL,
  IPV6_CAPACITY_CAP,
  addressAt,
  combinedCapacity,
  formatIpv6,
  indexOf,
  isCidr,
  isIpv4,
  isIpv6,
  parseIpv4,
  parseIpv6,
  parsePool,
  peerAddresses,
  poolCapacity,
  randomUlaPool,
  serverAddress,
  validatePool,
} from "@/lib/wireguard/addresses";

/** Seeded pseudo-random integers in [0, n), from the high bits of an LCG (its low bits repeat with short periods). */
function lcg(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
}

describe("parsePool", () => {
  it("parses the defaults", () => {
    expect(parsePool(DEFAULT_IPV4_POOL)).toMatchObject({ version: 4, cidr: "10.8.0.0/24", prefix: 24 });
    expect(parsePool(DEFAULT_IPV6_POOL)).toMatchObject({ version: 6, cidr: "fd00::/64", prefix: 64 });
  });

  it("normalises IPv6 text to RFC 5952", () => {
    expect(parsePool("FD00:0000:0000:0000:0000:0000:0000:0000/64").cidr).toBe("fd00::/64");
    expect(parsePool(" fd12:3456:789a:1::/64 ").cidr).toBe("fd12:3456:789a:1::/64");
  });

  it.each([
    ["10.8.0.1/24", /host bits set.*did you mean 10\.8\.0\.0\/24/],
    ["fd00::1/64", /host bits set.*did you mean fd00::\/64/],
    ["10.8.0.0/15", /between \/16 and \/29, got \/15/],
    ["10.8.0.0/30", /between \/16 and \/29, got \/30/],
    ["fd00::/63", /between \/64 and \/120/],
    ["fd00::/121", /between \/64 and \/120/],
    ["10.8.0.0", /not a CIDR/],
    ["10.8.0.0/", /not a valid prefix/],
    ["10.8.0.0/024", /not a valid prefix/],
    ["10.8.0.0/2a", /not a valid prefix/],
    ["10.8.0/24", /not a valid IPv4 address/],
    ["10.8.0.256/24", /not a valid IPv4 address/],
    ["10.08.0.0/24", /not a valid IPv4 address/],
    ["fd00:::/64", /not a valid IPv6 address/],
    ["127.0.0.0/24", /loopback/],
    ["224.0.0.0/24", /multicast/],
    ["ff02::/64", /multicast/],
    ["fe80::/64", /link-local/],
    ["::/64", /unspecified/],
    ["", /not a CIDR/],
  ])("rejects %j", (cidr, message) => {
    expect(() => parsePool(cidr)).toThrow(message);
    expect(validatePool(cidr)).toMatch(message);
  });

  it("checks the expected family", () => {
    expect(() => parsePool("fd00::/64", 4)).toThrow(/not an IPv4 CIDR/);
    expect(validatePool("10.8.0.0/24", 6)).toMatch(/not an IPv6 CIDR/);
    expect(validatePool("10.8.0.0/24", 4)).toBeNull();
  });
});

describe("capacity", () => {
  it("/29 has exactly 5 peer addresses (8 minus network, server, broadcast)", () => {
    const pool = parsePool("10.0.0.0/29");
    expect(poolCapacity(pool)).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => addressAt(pool, i))).toEqual([
      "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6",
    ]);
    expect(() => addressAt(pool, 5)).toThrow(RangeError); // would be the broadcast .7
    expect(serverAddress(pool)).toBe("10.0.0.1");
  });

  it("/24 and /16", () => {
    expect(poolCapacity("10.8.0.0/24")).toBe(253);
    expect(addressAt("10.8.0.0/24", 252)).toBe("10.8.0.254");
    const p16 = parsePool("172.16.0.0/16");
    expect(poolCapacity(p16)).toBe(65533);
    expect(addressAt(p16, 0)).toBe("172.16.0.2");
    expect(addressAt(p16, 253)).toBe("172.16.0.255"); // .255 inside a /16 is an ordinary host
    expect(addressAt(p16, 254)).toBe("172.16.1.0");
    expect(addressAt(p16, 65532)).toBe("172.16.255.254");
    expect(() => addressAt(p16, 65533)).toThrow(/outside pool 172\.16\.0\.0\/16 \(capacity 65533\)/);
  });

  it("IPv6 excludes network and server, capped at 2^24", () => {
    expect(poolCapacity("fd00::/120")).toBe(254);
    expect(poolCapacity("fd00::/104")).toBe(2 ** 24 - 2);
    expect(poolCapacity("fd00::/103")).toBe(IPV6_CAPACITY_CAP);
    expect(poolCapacity("fd00::/64")).toBe(2 ** 24);
  });

  it("combined capacity is the smaller pool", () => {
    expect(combinedCapacity("10.8.0.0/24", "fd00::/64")).toBe(253);
    expect(combinedCapacity("10.0.0.0/16", "fd00::/120")).toBe(254);
  });
});

describe("addressAt / indexOf", () => {
  const v6 = parsePool("fd00::/64");

  it("gives compressed IPv6 addresses", () => {
    expect(serverAddress(v6)).toBe("fd00::1");
    expect(addressAt(v6, 0)).toBe("fd00::2");
    expect(addressAt(v6, 253)).toBe("fd00::ff");
    expect(addressAt(v6, 65534)).toBe("fd00::1:0");
    expect(addressAt(v6, IPV6_CAPACITY_CAP - 1)).toBe("fd00::100:1");
    expect(() => addressAt(v6, IPV6_CAPACITY_CAP)).toThrow(RangeError);
    expect(addressAt("fd12:3456:789a:1::/64", 0)).toBe("fd12:3456:789a:1::2");
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects index %s", (i) => {
    expect(() => addressAt("10.8.0.0/24", i)).toThrow(RangeError);
  });

  it("indexOf inverts addressAt", () => {
    for (const cidr of ["10.8.0.0/24", "10.0.0.0/29", "172.16.0.0/16", "fd00::/64", "fd00:1:2:3::/120"]) {
      const pool = parsePool(cidr);
      const cap = poolCapacity(pool);
      for (const i of [0, 1, Math.floor(cap / 2), cap - 1]) {
        expect(indexOf(pool, addressAt(pool, i))).toBe(i);
      }
    }
  });

  it("indexOf accepts other textual forms and host suffixes", () => {
    expect(indexOf(v6, "FD00:0:0:0:0:0:0:2")).toBe(0);
    expect(indexOf(v6, "fd00::2/128")).toBe(0);
    expect(indexOf("10.8.0.0/24", "10.8.0.2/32")).toBe(0);
  });

  it("indexOf returns null outside the peer range", () => {
    const v4 = "10.8.0.0/24";
    expect(indexOf(v4, "10.8.0.0")).toBeNull(); // network
    expect(indexOf(v4, "10.8.0.1")).toBeNull(); // server
    expect(indexOf(v4, "10.8.0.255")).toBeNull(); // broadcast
    expect(indexOf(v4, "10.8.1.2")).toBeNull();
    expect(indexOf(v4, "fd00::2")).toBeNull();
    expect(indexOf(v4, "garbage")).toBeNull();
    expect(indexOf(v4, "10.8.0.2/24")).toBeNull();
    expect(indexOf(v6, "fd00::1")).toBeNull();
    expect(indexOf(v6, "fd00::100:2")).toBeNull(); // past the 2^24 cap
    expect(indexOf(v6, "fd01::2")).toBeNull();
  });
});

describe("peerAddresses", () => {
  it("uses the same index in both pools", () => {
    expect(peerAddresses("10.8.0.0/24", "fd00::/64", 0)).toEqual({ ipv4: "10.8.0.2", ipv6: "fd00::2" });
    expect(peerAddresses("10.8.0.0/24", "fd00::/64", 10)).toEqual({ ipv4: "10.8.0.12", ipv6: "fd00::c" });
  });

  it("throws past the smaller pool and on swapped pools", () => {
    expect(() => peerAddresses("10.8.0.0/24", "fd00::/64", 253)).toThrow(RangeError);
    expect(() => peerAddresses("fd00::/64", "10.8.0.0/24", 0)).toThrow(/IPv4 pool then an IPv6 pool/);
  });
});

describe("IPv6 text", () => {
  it.each([
    ["2001:db8:0:0:0:0:2:1", "2001:db8::2:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"], // a single zero group is not compressed
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1"], // the longest run wins
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // first run on a tie
    ["0:0:0:0:0:0:0:0", "::"],
    ["0:0:0:0:0:0:0:1", "::1"],
    ["fd00:0:0:0:0:0:0:0", "fd00::"],
    ["2001:DB8::ABCD", "2001:db8::abcd"],
    ["::ffff:192.0.2.1", "::ffff:c000:201"],
    ["::192.0.2.1", "::c000:201"], // IPv4-compatible, not IPv4-mapped (ipaddr.js alone reads it as ::ffff:c000:201)
    ["1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"],
  ])("%s -> %s", (input, canonical) => {
    const n = parseIpv6(input);
    expect(n).not.toBeNull();
    expect(formatIpv6(n!)).toBe(canonical);
  });

  it.each(["", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7::8", "12345::", "g::", "fe80::1%eth0", "1.2.3.4::", "::1.2.3", "::ffff:010.0.0.1", "::ffff:0xa.0.0.1", "00001::"])(
    "rejects %j",
    (bad) => {
      expect(parseIpv6(bad)).toBeNull();
    },
  );

  it("fast validators agree with ipaddr.js on fuzzed input", () => {
    // ipaddr.js's own reading, minus the forms only it takes: zone ids and
    // octal, hex or short IPv4 (isValidFourPartDecimal refuses those).
    const libIpv4 = (s: string) => ipaddr.IPv4.isValidFourPartDecimal(s);
    const libIpv6 = (s: string) =>
      !s.includes("%") && ipaddr.IPv6.isValid(s) && (!s.includes(".") || libIpv4(s.slice(s.lastIndexOf(":") + 1)));
    const libCidr = (s: string) => {
      const [address = "", prefix = "", ...rest] = s.split("/");
      return rest.length === 0 && /^(?:0|[1-9][0-9]*)$/.test(prefix) && (libIpv4(address) || libIpv6(address)) && ipaddr.isValidCIDR(s);
    };

    const rand = lcg(42);
    const alphabet = "0123456789abcdefABCDEF:.:::%/ gGx";
    const mutate = (s: string) => {
      const at = rand(s.length + 1);
      const c = alphabet[rand(alphabet.length)]!;
      return [s.slice(0, at) + c + s.slice(at), s.slice(0, at) + s.slice(at + 1), s.slice(0, at) + c + s.slice(at + 1)][rand(3)]!;
    };
    const samples = ["::", "::1", "1::", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "255.255.255.255", "0.0.0.0"];
    for (let i = 0; i < 6000; i++) {
      const len = 1 + rand(24);
      let s = "";
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      samples.push(s, `${rand(300)}.${rand(300)}.${rand(300)}.${rand(300)}`);
      // Valid addresses in several text forms (compressed, full, zero-padded, dotted tail, IPv4), as they are and with edits.
      const bytes = Array.from({ length: 16 }, () => (rand(3) === 0 ? rand(256) : 0));
      const v6 = ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
      const v4 = ipaddr.fromByteArray(bytes.slice(12)).toString();
      const forms = [v6.toString(), v6.toNormalizedString(), v6.parts.map((p) => p.toString(16).padStart(4, "0")).join(":"), `${v6.toNormalizedString().replace(/[^:]*:[^:]*$/, "")}${v4}`, v4];
      const form = forms[rand(forms.length)]!;
      samples.push(form, mutate(form), mutate(mutate(form)), `${form}/${rand(140)}`, mutate(`${form}/${rand(140)}`));
    }
    const disagree = (ours: (s: string) => boolean, lib: (s: string) => boolean) => samples.filter((s) => ours(s) !== lib(s));
    expect(disagree(isIpv4, libIpv4)).toEqual([]);
    expect(disagree(isIpv6, libIpv6)).toEqual([]);
    expect(disagree(isCidr, libCidr)).toEqual([]);
    // The fuzzer does reach valid addresses of every kind.
    for (const valid of [isIpv4, isIpv6, isCidr]) expect(samples.filter(valid).length).toBeGreaterThan(1000);
  });

  it("round-trips integers through RFC 5952 text", () => {
    const rand = lcg(7);
    for (let i = 0; i < 2000; i++) {
      // Half the groups zero, so that "::" runs of every length and place occur.
      let n = BigInt(0);
      for (let g = 0; g < 8; g++) n = (n << BigInt(16)) | BigInt(rand(2) ? 0 : rand(65536));
      expect(parseIpv6(formatIpv6(n))).toBe(n);
    }
  });

  it("parses IPv4 strictly", () => {
    expect(parseIpv4("255.255.255.255")).toBe(BigInt(0xffffffff));
    // ipaddr.js's plain parse would take octal, hex, short and 32-bit integer forms.
    for (const bad of ["1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.-4", "1.2.3.4 ", "a.b.c.d", "256.0.0.0", "0xa.0.0.1", "10.1", "167772161"]) {
      expect(parseIpv4(bad)).toBeNull();
    }
  });

  it("isCidr accepts any prefix of the right size", () => {
    expect(isCidr("0.0.0.0/0")).toBe(true);
    expect(isCidr("::/0")).toBe(true);
    expect(isCidr("fd00::2/128")).toBe(true);
    expect(isCidr("10.8.0.2/33")).toBe(false);
    expect(isCidr("fd00::2/129")).toBe(false);
    expect(isCidr("10.8.0.2")).toBe(false);
  });
});

describe("randomUlaPool", () => {
  it("builds an RFC 4193 /64 from 40 random bits", () => {
    expect(randomUlaPool(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]))).toBe("fd12:3456:789a::/64");
    const random = randomUlaPool();
    expect(random).toMatch(/^fd[0-9a-f]{2}:/);
    expect(validatePool(random, 6)).toBeNull();
  });
});
