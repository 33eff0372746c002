// Renders WireGuard configuration text. Pure string building: callers decrypt
// keys and pick addresses; this module only decides the exact bytes, which the
// tests pin and which `wg`/`wg-quick` must accept.
import { parsePool, serverAddress, type AddressPool } from "./addresses";

export const DEFAULT_ALLOWED_IPS: readonly string[] = ["0.0.0.0/0", "::/0"];
/** Keeps NAT mappings alive on phones and home routers (wg-quick docs' usual value). */
export const DEFAULT_PERSISTENT_KEEPALIVE = 25;
/** wg-quick's own choice for a 1500-byte link (1500 minus 80 bytes of IPv6 + UDP + WireGuard overhead). */
export const DEFAULT_MTU = 1420;

export interface ClientConfigInput {
  /** null/undefined for bring-your-own-key peers: the browser fills it in. */
  privateKey?: string | null;
  ipv4: string;
  ipv6: string;
  dns: string[];
  /** The server's MTU; absent: DEFAULT_MTU. Always written, so every client matches the server's interface. */
  mtu?: number | null;
  serverPublicKey: string;
  presharedKey?: string | null;
  /** "host:port"; an IPv6 host must be bracketed: "[2001:db8::1]:51820". */
  endpoint: string;
  allowedIps?: readonly string[];
  keepalive?: number | null;
}

export interface ServerPeerInput {
  publicKey: string;
  presharedKey?: string | null;
  allowedIps: readonly string[];
}

export interface ServerConfigInput {
  privateKey: string;
  listenPort: number;
  /**
   * The interface MTU the agent sets (`ip link set … mtu`). `wg` has no key
   * for it, so it travels as a `# securewave: mtu=N` comment, which `wg
   * setconf`/`syncconf` skip; absent: no such line.
   */
  mtu?: number | null;
  peers: readonly ServerPeerInput[];
}

export interface ServerWgQuickConfigInput extends ServerConfigInput {
  ipv4Pool: AddressPool | string;
  ipv6Pool: AddressPool | string;
}

/**
 * A value with a newline would let a stored field inject extra config lines
 * (e.g. PostUp = ... under wg-quick, which runs as root). Refuse, don't strip.
 */
function clean(field: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${field} must not contain line breaks`);
  return value.trim();
}

function checkedMtu(mtu: number): number {
  if (!Number.isInteger(mtu) || mtu < 576 || mtu > 65535) throw new Error(`MTU must be an integer between 576 and 65535, got ${mtu}`);
  return mtu;
}

function hostAddress(addr: string, hostPrefix: number): string {
  const a = clean("Address", addr);
  return a.includes("/") ? a : `${a}/${hostPrefix}`;
}

export function clientConfig(input: ClientConfigInput): string {
  const lines: string[] = ["[Interface]"];
  if (input.privateKey) lines.push(`PrivateKey = ${clean("PrivateKey", input.privateKey)}`);
  lines.push(`Address = ${hostAddress(input.ipv4, 32)}, ${hostAddress(input.ipv6, 128)}`);
  const dns = input.dns.map((d) => clean("DNS", d)).filter((d) => d !== "");
  if (dns.length > 0) lines.push(`DNS = ${dns.join(", ")}`);
  lines.push(`MTU = ${checkedMtu(input.mtu ?? DEFAULT_MTU)}`);
  lines.push("", "[Peer]", `PublicKey = ${clean("PublicKey", input.serverPublicKey)}`);
  if (input.presharedKey) lines.push(`PresharedKey = ${clean("PresharedKey", input.presharedKey)}`);
  lines.push(`Endpoint = ${clean("Endpoint", input.endpoint)}`);
  const allowed = (input.allowedIps ?? DEFAULT_ALLOWED_IPS).map((a) => clean("AllowedIPs", a));
  lines.push(`AllowedIPs = ${allowed.join(", ")}`);
  const keepalive = input.keepalive === undefined ? DEFAULT_PERSISTENT_KEEPALIVE : input.keepalive;
  if (keepalive !== null && keepalive > 0) lines.push(`PersistentKeepalive = ${keepalive}`);
  return lines.join("\n") + "\n";
}

/** `host:port` with IPv6 hosts bracketed, as WireGuard's Endpoint expects. */
export function formatEndpoint(host: string, port: number): string {
  const h = host.trim();
  return h.includes(":") && !h.startsWith("[") ? `[${h}]:${port}` : `${h}:${port}`;
}

/** Lines the agent reads and `wg` ignores (a comment): settings beyond WireGuard's own keys. */
export const SECUREWAVE_COMMENT = "# securewave: ";

// The server config is rebuilt for every agent pull with up to ~10k peers,
// so it is one array joined once rather than repeated string concatenation.
function pushServerBody(out: string[], input: ServerConfigInput): void {
  out.push(`PrivateKey = ${clean("PrivateKey", input.privateKey)}`);
  if (!Number.isInteger(input.listenPort) || input.listenPort < 1 || input.listenPort > 65535) {
    throw new Error(`ListenPort must be an integer between 1 and 65535, got ${input.listenPort}`);
  }
  out.push(`ListenPort = ${input.listenPort}`);
  if (input.mtu !== null && input.mtu !== undefined) out.push(`${SECUREWAVE_COMMENT}mtu=${checkedMtu(input.mtu)}`);
  for (const peer of input.peers) {
    out.push("", "[Peer]", `PublicKey = ${clean("PublicKey", peer.publicKey)}`);
    if (peer.presharedKey) out.push(`PresharedKey = ${clean("PresharedKey", peer.presharedKey)}`);
    out.push(`AllowedIPs = ${peer.allowedIps.map((a) => clean("AllowedIPs", a)).join(", ")}`);
  }
}

/** `wg setconf` format: no Address/DNS (those are wg-quick extensions that `wg` rejects). */
export function serverConfig(input: ServerConfigInput): string {
  const out: string[] = ["[Interface]"];
  pushServerBody(out, input);
  return out.join("\n") + "\n";
}

/** Same as serverConfig plus the server's own addresses, for bringing the interface up with wg-quick. */
export function serverWgQuickConfig(input: ServerWgQuickConfigInput): string {
  const v4 = typeof input.ipv4Pool === "string" ? parsePool(input.ipv4Pool, 4) : input.ipv4Pool;
  const v6 = typeof input.ipv6Pool === "string" ? parsePool(input.ipv6Pool, 6) : input.ipv6Pool;
  const out: string[] = [
    "[Interface]",
    `Address = ${serverAddress(v4)}/${v4.prefix}, ${serverAddress(v6)}/${v6.prefix}`,
  ];
  pushServerBody(out, input);
  return out.join("\n") + "\n";
}
