import ipaddr from "ipaddr.js";
import { getEnv, type Env } from "@/lib/env";
import { isCidr, parseIpv4Address, parseIpv6Address } from "@/lib/wireguard/addresses";
import { peerAddress } from "./peer-address";

export type TrustedProxies = Env["TRUSTED_PROXIES"];

/** What a request says about where it came from: its TCP peer and its X-Forwarded-For header, as received. */
export interface AddressSources {
  peer: string | null;
  forwardedFor: string | null;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [network: Address, prefix: number];

/**
 * An address, or null if it is not one: IPv4, IPv6 with any zone dropped,
 * IPv4-mapped IPv6 as IPv4 (a dual-stack socket reports IPv4 clients that
 * way). The bracket and port forms some proxies write (`[2001:db8::1]:443`,
 * `192.0.2.1:443`) are read too.
 */
function parseAddress(raw: string): Address | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(s)) s = s.slice(0, s.indexOf(":"));
  const zone = s.indexOf("%");
  const address = zone > 0 ? parseIpv6Address(s.slice(0, zone)) : (parseIpv4Address(s) ?? parseIpv6Address(s));
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/**
 * An address in one canonical text (IPv4 dotted quad, IPv6 in RFC 5952
 * form), or null if it is not an address; see parseAddress for the forms
 * read. One text per address, so that lockouts count it as one.
 */
export function normalizeAddress(raw: string): string | null {
  return parseAddress(raw)?.toString() ?? null;
}

/** A TRUSTED_PROXIES entry, a CIDR range or a single address (as lib/env checks them), or null. */
function toRange(entry: string): Range | null {
  const [text = "", bits] = entry.split("/");
  const address = parseIpv4Address(text) ?? parseIpv6Address(text);
  if (address === null || (bits !== undefined && !isCidr(entry))) return null;
  const prefix = bits === undefined ? (address.kind() === "ipv4" ? 32 : 128) : Number(bits);
  // A mapped range written in IPv6 (::ffff:10.0.0.0/104) covers the IPv4 addresses it maps.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefix >= 96) return [address.toIPv4Address(), prefix - 96];
  return [address, prefix];
}

function inRange(address: Address, [network, prefix]: Range): boolean {
  return address.kind() === network.kind() && address.match(network, prefix);
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
  return resolveClientAddress(sources, trusted)?.toString() ?? null;
}

function resolveClientAddress(sources: AddressSources, trusted: TrustedProxies): Address | null {
  const peer = sources.peer === null ? null : parseAddress(sources.peer);
  if (trusted.kind === "none") return peer;
  const entries = sources.forwardedFor?.trim() ? sources.forwardedFor.split(",") : [];
  if (trusted.kind === "hops" && entries.length < trusted.hops) return peer;
  const ranges = trusted.kind === "cidrs" ? trusted.cidrs.map(toRange).filter((r): r is Range => r !== null) : [];
  const vouched = (address: Address, distance: number) =>
    trusted.kind === "hops" ? distance < trusted.hops : ranges.some((r) => inRange(address, r));
  if (trusted.kind === "cidrs" && (peer === null || !vouched(peer, 0))) return peer;

  let known = peer;
  for (let distance = 1; distance <= entries.length; distance++) {
    const address = parseAddress(entries[entries.length - distance]!);
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
