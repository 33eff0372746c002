// Parser for the exact output of `wg show <iface> dump`, as pushed by server
// agents. A malformed push is rejected whole (the API answers 400 and changes
// nothing), so every line is validated before anything is returned.
//
// Real format (wireguard-tools show.c, checked against wireguard-go):
//   line 1: private-key  public-key  listen-port  fwmark
//   peers:  public-key  preshared-key  endpoint  allowed-ips
//           latest-handshake  transfer-rx  transfer-tx  persistent-keepalive
// "(none)" marks absent keys/endpoint/allowed-ips, "off" an unset fwmark or
// keepalive, and fwmark is printed in hex ("0x1234"). An interface without a
// private key also shows "(none)" as its public key.
import { isCidr, isIpv4, isIpv6 } from "./addresses";

export interface DumpInterface {
  /** null when the interface has no private key configured yet. */
  publicKey: string | null;
  listenPort: number;
  fwmark: number | null;
}

export interface DumpPeer {
  publicKey: string;
  /** Whether a preshared key is configured; the key itself is never kept. */
  presharedKeySet: boolean;
  /** As printed: "203.0.113.5:51820" or "[2001:db8::5]:51820". */
  endpoint: string | null;
  /** The endpoint's IP without port, brackets or zone id. */
  endpointIp: string | null;
  allowedIps: string[];
  /** Unix seconds of the latest handshake, null if there never was one. */
  latestHandshake: number | null;
  /** Bytes received by the server from this peer (the user's upload). */
  rx: number;
  /** Bytes sent by the server to this peer (the user's download). */
  tx: number;
  keepalive: number | null;
}

/** A round trip the server's agent measured over the tunnel to a peer. */
export interface DumpRtt {
  publicKey: string;
  rttMs: number;
}

export type DumpParseResult =
  | { ok: true; iface: DumpInterface; peers: DumpPeer[]; rtts: DumpRtt[] }
  | { ok: false; line: number; reason: string };

export class DumpParseError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`wg dump line ${line}: ${reason}`);
    this.name = "DumpParseError";
  }
}

/**
 * A peer line is ~200 bytes; even thousands of allowed IPs stay well below
 * this. The cap makes a huge garbage body fail on line 1 without first
 * splitting megabytes into fields.
 */
export const MAX_DUMP_LINE_LENGTH = 64 * 1024;

/**
 * A handshake time from the server's clock may run ahead of ours by this
 * much; anything later is not a time at all (a broken clock, a forged push)
 * and would poison every read of the device.
 */
export const MAX_CLOCK_SKEW_SECONDS = 3600;

const INTERFACE_FIELDS = 4;
const PEER_FIELDS = 8;
const UINT = /^[0-9]{1,20}$/;

/** Internal control flow only; converted to the result union at the boundary. */
class LineError extends Error {}

function fail(reason: string): never {
  throw new LineError(reason);
}

// Char-table check equivalent to WG_KEY_REGEX; 20k regex runs per 10k-peer
// dump were the largest single cost of parsing.
const B64 = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") B64[c.charCodeAt(0)] = 1;
const B64_LAST = new Uint8Array(128);
for (const c of "AEIMQUYcgkosw048") B64_LAST[c.charCodeAt(0)] = 1;

function isKey(s: string): boolean {
  if (s.length !== 44 || s.charCodeAt(43) !== 61) return false;
  for (let i = 0; i < 42; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || B64[c] === 0) return false;
  }
  const last = s.charCodeAt(42);
  return last < 128 && B64_LAST[last] === 1;
}

/**
 * Integers up to 2^53-1; counters beyond that (8 PiB) would lose precision
 * as numbers. A char loop rather than regex + Number(): this runs 40k times
 * per 10k-peer dump.
 */
function parseUint(field: string, s: string): number {
  const len = s.length;
  if (len === 0 || len > 20) fail(`${field} must be a non-negative integer`);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) fail(`${field} must be a non-negative integer`);
    n = n * 10 + d;
  }
  // Past 2^53 the running value is inexact, but it can only stay above the limit.
  if (n > Number.MAX_SAFE_INTEGER) fail(`${field} exceeds ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

function parsePort(field: string, s: string): number {
  const n = parseUint(field, s);
  if (n > 65535) fail(`${field} must be at most 65535`);
  return n;
}

function parseFwmark(s: string): number | null {
  if (s === "off") return null;
  const n = /^0x[0-9a-f]{1,8}$/i.test(s) ? parseInt(s.slice(2), 16) : UINT.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) fail("fwmark must be 'off' or a 32-bit number");
  return n === 0 ? null : n;
}

function parseEndpoint(s: string): { endpoint: string | null; endpointIp: string | null } {
  if (s === "(none)") return { endpoint: null, endpointIp: null };
  const colon = s.lastIndexOf(":");
  if (colon < 1) fail("endpoint must be '(none)', ip:port or [ipv6]:port");
  const host = s.slice(0, colon);
  parsePort("endpoint port", s.slice(colon + 1));
  if (host.startsWith("[") && host.endsWith("]")) {
    // Link-local endpoints carry a zone ("%eth0"); it is meaningless off the server.
    const inner = host.slice(1, -1);
    const ip = inner.split("%", 1)[0]!;
    if (!isIpv6(ip) || (inner.includes("%") && !/^[^\s%]+%[A-Za-z0-9_.-]{1,15}$/.test(inner))) {
      fail("endpoint has an invalid IPv6 address");
    }
    return { endpoint: s, endpointIp: ip };
  }
  if (!isIpv4(host)) fail("endpoint has an invalid IPv4 address (IPv6 must be bracketed)");
  return { endpoint: s, endpointIp: host };
}

function parseAllowedIps(s: string): string[] {
  if (s === "(none)") return [];
  const list = s.split(",");
  for (const cidr of list) if (!isCidr(cidr)) fail("allowed-ips must be comma-separated CIDRs or '(none)'");
  return list;
}

function parseInterfaceLine(fields: string[]): DumpInterface {
  if (fields.length !== INTERFACE_FIELDS) {
    const hint = fields.length === INTERFACE_FIELDS + 1 ? " (was this `wg show all dump`? send `wg show <iface> dump`)" : "";
    fail(`interface line must have ${INTERFACE_FIELDS} tab-separated fields, got ${fields.length}${hint}`);
  }
  // fields[0] is the private key: checked for shape, then dropped. Never
  // echo it in an error message.
  const [privateKey, publicKey, listenPort, fwmark] = fields as [string, string, string, string];
  if (privateKey !== "" && privateKey !== "(none)" && !isKey(privateKey)) {
    fail("private-key must be a key, '(none)' or empty");
  }
  if (publicKey !== "(none)" && !isKey(publicKey)) fail("public-key is not a valid WireGuard key");
  return {
    publicKey: publicKey === "(none)" ? null : publicKey,
    listenPort: parsePort("listen-port", listenPort),
    fwmark: parseFwmark(fwmark),
  };
}

function parsePeerLine(fields: string[], latestAllowed: number): DumpPeer {
  if (fields.length !== PEER_FIELDS) {
    fail(`peer line must have ${PEER_FIELDS} tab-separated fields, got ${fields.length}`);
  }
  const [publicKey, psk, endpoint, allowedIps, handshake, rx, tx, keepalive] = fields as [
    string, string, string, string, string, string, string, string,
  ];
  if (!isKey(publicKey)) fail("public-key is not a valid WireGuard key");
  if (psk !== "(none)" && !isKey(psk)) fail("preshared-key must be '(none)' or a valid key");
  const latest = parseUint("latest-handshake", handshake);
  if (latest > latestAllowed) fail(`latest-handshake ${latest} is in the future (this server's clock says ${latestAllowed - MAX_CLOCK_SKEW_SECONDS})`);
  const ep = parseEndpoint(endpoint);
  return {
    publicKey,
    presharedKeySet: psk !== "(none)",
    endpoint: ep.endpoint,
    endpointIp: ep.endpointIp,
    allowedIps: parseAllowedIps(allowedIps),
    latestHandshake: latest === 0 ? null : latest,
    rx: parseUint("transfer-rx", rx),
    tx: parseUint("transfer-tx", tx),
    keepalive: keepalive === "off" ? null : parsePort("persistent-keepalive", keepalive),
  };
}

/**
 * The agent appends what it measured as comment lines after the dump:
 * `# securewave: rtt <public key> <milliseconds>`. Other `# securewave:`
 * directives are skipped (a newer agent may send more); an rtt line that
 * does not parse makes the push malformed like any other bad line.
 */
const DIRECTIVE = "# securewave:";
/** Longer than any ping we would wait for: a bigger figure is not a round trip. */
export const MAX_RTT_MS = 60_000;
const RTT_NUMBER = /^(?:0|[1-9][0-9]{0,5})(?:\.[0-9]{1,6})?$/;

function parseDirective(line: string, rtts: Map<string, number>): void {
  const words = line.slice(DIRECTIVE.length).trim().split(/\s+/);
  if (words[0] !== "rtt") return;
  if (words.length !== 3) fail("rtt directive must be '# securewave: rtt <public key> <ms>'");
  const [, key, ms] = words as [string, string, string];
  if (!isKey(key)) fail("rtt directive has an invalid public key");
  const value = RTT_NUMBER.test(ms) ? Number(ms) : NaN;
  if (!(value >= 0 && value <= MAX_RTT_MS)) fail(`rtt must be a number of milliseconds between 0 and ${MAX_RTT_MS}`);
  rtts.set(key, value);
}

/** `now`: the receiving clock; a handshake later than it (plus the allowed skew) makes the dump malformed. */
export function parseWgDump(text: string, now: Date = new Date()): DumpParseResult {
  if (typeof text !== "string" || text.length === 0) return { ok: false, line: 1, reason: "empty body" };
  const latestAllowed = Math.floor(now.getTime() / 1000) + MAX_CLOCK_SKEW_SECONDS;
  let iface: DumpInterface | null = null;
  const peers: DumpPeer[] = [];
  const seen = new Set<string>();
  const rtts = new Map<string, number>();
  let lineNo = 0;
  let start = 0;
  // Walk line by line instead of split("\n") so garbage fails at the first
  // bad line without materialising every line of a huge body.
  while (start < text.length) {
    lineNo++;
    let end = text.indexOf("\n", start);
    const last = end < 0;
    if (last) end = text.length;
    if (end - start > MAX_DUMP_LINE_LENGTH) {
      return { ok: false, line: lineNo, reason: `line longer than ${MAX_DUMP_LINE_LENGTH} bytes` };
    }
    let line = text.slice(start, end);
    if (line.endsWith("\r")) line = line.slice(0, -1);
    start = end + 1;
    if (line === "") {
      return { ok: false, line: lineNo, reason: lineNo === 1 ? "empty body" : "unexpected empty line" };
    }
    try {
      if (iface !== null && line.startsWith(DIRECTIVE)) {
        parseDirective(line, rtts);
        continue;
      }
      const fields = line.split("\t");
      if (iface === null) {
        iface = parseInterfaceLine(fields);
      } else {
        const peer = parsePeerLine(fields, latestAllowed);
        if (seen.has(peer.publicKey)) fail("duplicate peer public key");
        seen.add(peer.publicKey);
        peers.push(peer);
      }
    } catch (e) {
      if (e instanceof LineError) return { ok: false, line: lineNo, reason: e.message };
      throw e;
    }
  }
  if (iface === null) return { ok: false, line: 1, reason: "empty body" };
  // A round trip counts only for a peer the same push reports.
  const measured: DumpRtt[] = [];
  for (const [publicKey, rttMs] of rtts) if (seen.has(publicKey)) measured.push({ publicKey, rttMs });
  return { ok: true, iface, peers, rtts: measured };
}

/** Throwing variant for callers that prefer exceptions. */
export function parseWgDumpOrThrow(text: string, now?: Date): { iface: DumpInterface; peers: DumpPeer[]; rtts: DumpRtt[] } {
  const r = parseWgDump(text, now);
  if (!r.ok) throw new DumpParseError(r.line, r.reason);
  return { iface: r.iface, peers: r.peers, rtts: r.rtts };
}
