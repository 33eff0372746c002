import { getEnv, type Env } from "@/lib/env";
import { formatIpv4, formatIpv6, isIpv4, isIpv6, parseIpv4, parseIpv6 } from "@/lib/wireguard/addresses";
import { peerAddress } from "./peer-address";

export type TrustedProxies = Env["TRUSTED_PROXIES"];

/** What a request says about where it came from: its TCP peer and its X-Forwarded-For header, as received. */
export interface AddressSources {
  peer: string | null;
  forwardedFor: string | null;
}

const MAPPED_V4 = BigInt(0xffff);
const V4_BITS = BigInt(32);
const V4_MASK = BigInt(0xffffffff);

/**
 * An address in one canonical text, or null if it is not an address: IPv4
 * as is, IPv6 in RFC 5952 form with any zone dropped, IPv4-mapped IPv6 as
 * IPv4 (a dual-stack socket reports IPv4 clients that way). The bracket and
 * port forms some proxies write (`[2001:db8::1]:443`, `192.0.2.1:443`) are
 * read too. One text per address, so that lockouts count it as one.
 */
export function normalizeAddress(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(s)) s = s.slice(0, s.indexOf(":"));
  if (isIpv4(s)) return s;
  const zone = s.indexOf("%");
  if (zone > 0) s = s.slice(0, zone);
  if (!isIpv6(s)) return null;
  const n = parseIpv6(s)!;
  return n >> V4_BITS === MAPPED_V4 ? formatIpv4(n & V4_MASK) : formatIpv6(n);
}

interface Range {
  v4: boolean;
  network: bigint;
  prefix: number;
}

function toRange(cidr: string): Range | null {
  const [addr = "", bits] = cidr.split("/");
  const host = normalizeAddress(addr);
  if (host === null) return null;
  const v4 = !host.includes(":");
  const width = v4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  // A mapped range written in IPv6 (::ffff:10.0.0.0/104) covers the IPv4 addresses it maps.
  const written = bits === undefined ? width : Number(bits) - (v4 && addr.includes(":") ? 96 : 0);
  if (written < 0 || written > width) return null;
  const shift = BigInt(width - written);
  return { v4, network: (v4 ? parseIpv4(host)! : parseIpv6(host)!) >> shift, prefix: written };
}

function inRange(address: string, range: Range): boolean {
  const v4 = !address.includes(":");
  if (v4 !== range.v4) return false;
  const shift = BigInt((v4 ? 32 : 128) - range.prefix);
  return (v4 ? parseIpv4(address)! : parseIpv6(address)!) >> shift === range.network;
}

/**
 * Security-critical: the address lockouts count and audit entries record.
 * X-Forwarded-For is read from the right, the end the app's own proxies
 * append to; anything left of the first hop they do not vouch for was
 * written by the client. X-Real-IP is never read.
 *
 * - unset: the TCP peer, whatever the headers say;
 * - N hops: the N-th entry from the right. A request with fewer entries did
 *   not come through all N proxies (someone reached an inner one, or the app,
 *   directly), so its leftmost entry may be anyone's word: the TCP peer is
 *   taken instead;
 * - CIDR ranges: the peer and then each entry from the right, until one is
 *   outside the ranges. A peer outside them means no proxy of ours spoke, and
 *   the header is ignored; if every hop is inside them, the leftmost is taken.
 *
 * An entry that is not an address where the walk reaches it ends the walk:
 * the hop that wrote it is as far as the chain can be believed, and its
 * address is taken (never null while the peer is known, since a null
 * address escapes the per-address lockout). Without a known peer (outside
 * a server) only a hop count can still name the client.
 */
export function resolveClientIp(sources: AddressSources, trusted: TrustedProxies): string | null {
  const peer = sources.peer === null ? null : normalizeAddress(sources.peer);
  if (trusted.kind === "none") return peer;
  const entries = sources.forwardedFor?.trim() ? sources.forwardedFor.split(",") : [];
  if (trusted.kind === "hops" && entries.length < trusted.hops) return peer;
  const ranges = trusted.kind === "cidrs" ? trusted.cidrs.map(toRange).filter((r): r is Range => r !== null) : [];
  const vouched = (address: string, distance: number) =>
    trusted.kind === "hops" ? distance < trusted.hops : ranges.some((r) => inRange(address, r));
  if (trusted.kind === "cidrs" && (peer === null || !vouched(peer, 0))) return peer;

  let known = peer;
  for (let distance = 1; distance <= entries.length; distance++) {
    const address = normalizeAddress(entries[entries.length - distance]!);
    if (address === null) return known;
    if (!vouched(address, distance)) return address;
    known = address;
  }
  return known;
}

/** The client's address for this request, under TRUSTED_PROXIES (see resolveClientIp). */
export function clientIp(headers: Headers): string | null {
  return resolveClientIp({ peer: peerAddress(headers), forwardedFor: headers.get("x-forwarded-for") }, getEnv().TRUSTED_PROXIES);
}
