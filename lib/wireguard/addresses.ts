// Address pool arithmetic for server IPv4/IPv6 pools. Everything is an
// integer offset from the pool's network address, so the database can store a
// small "host index" per peer and allocate without scanning the pool.
//
// Layout of every pool:  network (+0) | server (+1) | peers from +2 ...
// IPv4 also reserves the broadcast address. A peer uses the SAME index in the
// v4 and v6 pools, so one allocation yields both of its addresses.
//
// BigInt() calls instead of `1n` literals keep this compiling under an
// ES2017 `target` (Next's default tsconfig).

import ipaddr from "ipaddr.js";

export type IpVersion = 4 | 6;

export interface AddressPool {
  version: IpVersion;
  /** Normalised CIDR text, e.g. "10.8.0.0/24" or "fd00::/64". */
  cidr: string;
  /** Network address as an integer (host bits are zero). */
  network: bigint;
  prefix: number;
}

export const DEFAULT_IPV4_POOL = "10.8.0.0/24";
export const DEFAULT_IPV6_POOL = "fd00::/64";
export const IPV4_PREFIX_RANGE = { min: 16, max: 29 } as const;
export const IPV6_PREFIX_RANGE = { min: 64, max: 120 } as const;
/** A v6 /64 has 2^64 hosts; no server holds more than this many peers. */
export const IPV6_CAPACITY_CAP = 1 << 24;

const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const BYTE = BigInt(0xff);
const EIGHT = BigInt(8);
/** Index 0 is network+2: +0 is the network, +1 the server. */
const FIRST_PEER_OFFSET = TWO;

// ------------------------------------------------------------- validation
//
// Strict and allocation-free: they run on hot paths such as parsing a
// 10k-peer dump, where validating with ipaddr.js costs 10-40x as much per
// address. Leading zeros in a dotted quad are refused because some stacks
// read "010" as octal, so "10.8.0.010" would mean different hosts to
// different tools. Zone ids ("fe80::1%eth0") are refused. The tests check
// that these agree with ipaddr.js on fuzzed input.
const IPV4_RE = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;

export function isIpv4(s: string): boolean {
  return IPV4_RE.test(s);
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export function isIpv6(s: string): boolean {
  const n = s.length;
  if (n < 2 || n > 45) return false;
  let i = 0;
  let groups = 0;
  let compressed = false;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    compressed = true;
    i = 2;
  }
  while (i < n) {
    const start = i;
    while (i < n && isHexCode(s.charCodeAt(i))) i++;
    if (i < n && s.charCodeAt(i) === 46) {
      // Dotted IPv4 tail: must run to the end of the string.
      if (!IPV4_RE.test(s.slice(start))) return false;
      groups += 2;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return false;
    groups++;
    if (i === n) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
    } else if (i === n) {
      return false; // a single trailing ':'
    }
  }
  // "::" stands for at least one zero group.
  return compressed ? groups <= 7 : groups === 8;
}

/** "address/prefix" with a prefix that fits the family (any prefix, unlike pools). */
export function isCidr(s: string): boolean {
  const slash = s.indexOf("/");
  const digits = s.length - slash - 1;
  if (slash < 0 || digits < 1 || digits > 3) return false;
  // Parse the prefix by char codes: this runs twice per peer in a dump.
  let prefix = 0;
  for (let i = slash + 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (d === 0 && prefix === 0 && digits > 1)) return false;
    prefix = prefix * 10 + d;
  }
  const addr = s.slice(0, slash);
  return addr.includes(":") ? prefix <= 128 && isIpv6(addr) : prefix <= 32 && isIpv4(addr);
}

// ---------------------------------------------------------------- parsing
//
// ipaddr.js parses text the validators above have accepted: on its own it
// would also take zone ids and octal, hex or short IPv4 forms.

/** A strict dotted quad (see isIpv4), parsed; null otherwise. */
export function parseIpv4Address(s: string): ipaddr.IPv4 | null {
  return isIpv4(s) ? ipaddr.IPv4.parse(s) : null;
}

/** Any RFC 4291 text form without a zone id (see isIpv6), parsed; null otherwise. */
export function parseIpv6Address(s: string): ipaddr.IPv6 | null {
  if (!isIpv6(s)) return null;
  // ipaddr.js reads the deprecated IPv4-compatible "::a.b.c.d" as IPv4-mapped
  // (::ffff:a.b.c.d); RFC 4291 gives it the value ::a.b:c.d, as "0::a.b.c.d" keeps.
  return ipaddr.IPv6.parse(/^::[\d.]+$/.test(s) ? `0${s}` : s);
}

/** The address as an integer, from ipaddr.js's network-order bytes. */
function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = ZERO;
  for (const byte of address.toByteArray()) n = (n << EIGHT) | BigInt(byte);
  return n;
}

export function parseIpv4(s: string): bigint | null {
  const address = parseIpv4Address(s);
  return address === null ? null : toBigInt(address);
}

export function parseIpv6(s: string): bigint | null {
  const address = parseIpv6Address(s);
  return address === null ? null : toBigInt(address);
}

// ------------------------------------------------------------- formatting

/** Dotted quad, or RFC 5952 canonical IPv6 text (lowercase, no leading zeros, longest zero run as "::"). */
function formatAddress(version: IpVersion, n: bigint): string {
  const bytes = new Array<number>(version === 4 ? 4 : 16);
  for (let i = bytes.length - 1; i >= 0; i--, n >>= EIGHT) bytes[i] = Number(n & BYTE);
  return ipaddr.fromByteArray(bytes).toString();
}

export function formatIpv6(n: bigint): string {
  return formatAddress(6, n);
}

// ------------------------------------------------------------------ pools

function bitsOf(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

/**
 * Why the refused ranges: the kernel will not route loopback, multicast,
 * link-local or "this network" addresses through a tunnel, so a pool there
 * would hand out addresses that never work.
 */
function reservedRangeReason(version: IpVersion, network: bigint): string | null {
  if (version === 4) {
    const first = Number(network >> BigInt(24));
    const second = Number((network >> BigInt(16)) & BYTE);
    if (first === 0) return "0.0.0.0/8 is reserved for 'this network'";
    if (first === 127) return "127.0.0.0/8 is loopback";
    if (first === 169 && second === 254) return "169.254.0.0/16 is link-local";
    if (first >= 224) return "224.0.0.0/3 is multicast or reserved";
    return null;
  }
  const top = Number(network >> BigInt(112));
  if (top >>> 8 === 0) return "::/8 holds the unspecified, loopback and IPv4-mapped ranges";
  if (top >>> 8 === 0xff) return "ff00::/8 is multicast";
  if ((top & 0xffc0) === 0xfe80) return "fe80::/10 is link-local";
  return null;
}

/** Parses and validates a pool CIDR; throws an Error whose message suits a form. */
export function parsePool(cidr: string, expected?: IpVersion): AddressPool {
  const text = typeof cidr === "string" ? cidr.trim() : "";
  const slash = text.indexOf("/");
  if (slash < 0) throw new Error(`"${text}" is not a CIDR: expected address/prefix, e.g. ${DEFAULT_IPV4_POOL}`);
  const addrText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const version: IpVersion = addrText.includes(":") ? 6 : 4;
  if (expected !== undefined && version !== expected) {
    throw new Error(`"${text}" is not an IPv${expected} CIDR`);
  }
  const address = version === 4 ? parseIpv4(addrText) : parseIpv6(addrText);
  if (address === null) throw new Error(`"${addrText}" is not a valid IPv${version} address`);
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    throw new Error(`"${prefixText}" is not a valid prefix length`);
  }
  const prefix = Number(prefixText);
  const range = version === 4 ? IPV4_PREFIX_RANGE : IPV6_PREFIX_RANGE;
  if (prefix < range.min || prefix > range.max) {
    throw new Error(`IPv${version} pool prefix must be between /${range.min} and /${range.max}, got /${prefix}`);
  }
  const hostBits = BigInt(bitsOf(version) - prefix);
  const network = (address >> hostBits) << hostBits;
  if (network !== address) {
    throw new Error(
      `"${text}" has host bits set: the pool must start at its network address, ` +
        `did you mean ${formatAddress(version, network)}/${prefix}?`,
    );
  }
  const reserved = reservedRangeReason(version, network);
  if (reserved) throw new Error(`"${text}" cannot be a pool: ${reserved}`);
  return { version, cidr: `${formatAddress(version, network)}/${prefix}`, network, prefix };
}

/** Form-friendly variant of parsePool: the error message, or null when valid. */
export function validatePool(cidr: string, expected?: IpVersion): string | null {
  try {
    parsePool(cidr, expected);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function asPool(pool: AddressPool | string): AddressPool {
  return typeof pool === "string" ? parsePool(pool) : pool;
}

/** Number of peer addresses (v4 excludes network, server and broadcast; v6 excludes network and server, capped). */
export function poolCapacity(pool: AddressPool | string): number {
  const p = asPool(pool);
  const size = ONE << BigInt(bitsOf(p.version) - p.prefix);
  if (p.version === 4) return Number(size) - 3;
  const usable = size - TWO;
  return usable > BigInt(IPV6_CAPACITY_CAP) ? IPV6_CAPACITY_CAP : Number(usable);
}

export function serverAddress(pool: AddressPool | string): string {
  const p = asPool(pool);
  return formatAddress(p.version, p.network + ONE);
}

/** Address of the peer with this host index (0 = network+2). Throws RangeError past capacity. */
export function addressAt(pool: AddressPool | string, index: number): string {
  const p = asPool(pool);
  const capacity = poolCapacity(p);
  if (!Number.isSafeInteger(index) || index < 0 || index >= capacity) {
    throw new RangeError(`Host index ${index} is outside pool ${p.cidr} (capacity ${capacity})`);
  }
  return formatAddress(p.version, p.network + FIRST_PEER_OFFSET + BigInt(index));
}

/**
 * Inverse of addressAt: the host index of a peer address, or null when the
 * text is not an address of this pool's family, lies outside the pool, or is
 * the network/server/broadcast address. Accepts a host-length suffix
 * ("/32", "/128") because PostgreSQL's inet text form carries one.
 */
export function indexOf(pool: AddressPool | string, address: string): number | null {
  const p = asPool(pool);
  let text = address.trim();
  const hostSuffix = p.version === 4 ? "/32" : "/128";
  if (text.endsWith(hostSuffix)) text = text.slice(0, -hostSuffix.length);
  const n = p.version === 4 ? parseIpv4(text) : parseIpv6(text);
  if (n === null) return null;
  const offset = n - p.network - FIRST_PEER_OFFSET;
  if (offset < ZERO || offset >= BigInt(poolCapacity(p))) return null;
  return Number(offset);
}

/** Peers can have only as many indexes as the smaller pool holds. */
export function combinedCapacity(v4Pool: AddressPool | string, v6Pool: AddressPool | string): number {
  return Math.min(poolCapacity(v4Pool), poolCapacity(v6Pool));
}

export function peerAddresses(
  v4Pool: AddressPool | string,
  v6Pool: AddressPool | string,
  index: number,
): { ipv4: string; ipv6: string } {
  const v4 = asPool(v4Pool);
  const v6 = asPool(v6Pool);
  if (v4.version !== 4 || v6.version !== 6) {
    throw new Error("peerAddresses expects an IPv4 pool then an IPv6 pool");
  }
  return { ipv4: addressAt(v4, index), ipv6: addressAt(v6, index) };
}

/**
 * A fresh RFC 4193 ULA /64 (fdXX:XXXX:XXXX:0::/64 with a random 40-bit
 * global id), so two SecureWave deployments never collide if users connect
 * to both. `random` is injectable for tests; defaults to Web Crypto.
 */
export function randomUlaPool(random: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(5))): string {
  if (random.length < 5) throw new Error("randomUlaPool needs 5 random bytes");
  let n = BigInt(0xfd);
  for (let i = 0; i < 5; i++) n = (n << BigInt(8)) | BigInt(random[i]!);
  return `${formatIpv6(n << BigInt(80))}/64`;
}
