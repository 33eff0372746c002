import { sql } from "drizzle-orm";
import { decode } from "next-auth/jwt";
import { rows, type Db } from "@/db/client";
import { unseal } from "@/lib/crypto/seal";
import { hashToken } from "@/lib/crypto/tokens";
import { getEnv } from "@/lib/env";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { SESSION_COOKIE, type Exchange } from "./capture";

/**
 * The secrets scan's knowledge: every secret the database holds (and the
 * plaintext tokens and passwords the run produced), where each may
 * legitimately be seen, and the search itself.
 */

/** Who made a request, as the app saw it: a session's user, a personal token's user or a server's agent. */
export interface Caller {
  userId: string | null;
  role: string | null;
  email: string | null;
  serverId: string | null;
}

/** A recorded answer, with its caller and its path (no query). */
export interface Answer extends Exchange {
  caller: Caller;
  path: string;
}

export interface Secret {
  value: string;
  /** What it is, for the report; never the value. */
  label: string;
  /** The answers its owner asked for, where it belongs (a device's own config). Elsewhere, and in logs and tables, never. */
  mayShow?: (a: Answer) => boolean;
  /** A token shown once, when created: allowed in the first answer holding it if that answer passes this; never again. */
  once?: (a: Answer) => boolean;
}

export interface Finding {
  label: string;
  where: string;
}

/** Columns whose job is to hold a secret: left out of the table dump. Every other column of every table is searched. */
const SECRET_COLUMNS: Record<string, string[]> = {
  users: ["password_hash", "totp_secret_sealed", "totp_pending_sealed"],
  email_tokens: ["token_hash"],
  user_recovery_codes: ["code_hash"],
  api_tokens: ["token_hash"],
  vpn_servers: ["private_key_sealed", "agent_token_hash"],
  wireguard_peers: ["private_key_sealed", "preshared_key_sealed"],
  peer_previous_keys: ["preshared_key_sealed"],
  share_links: ["token_hash"],
  accounts: ["refresh_token", "access_token", "id_token"],
  sessions: ["session_token"],
  verification_tokens: ["token"],
};

const TOKEN_PATTERN = /\b(swp|swa)_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
const SHARE_PATH = /\/share\/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/g;
/** Short values ("short", a rejected password) would match ordinary text. */
const MIN_PASSWORD = 8;

type UserRow = { id: string; email: string; role: string; password_hash: string | null };
type LinkRow = { token_hash: string; peer_id: string; user_id: string };

export interface AtRest {
  secrets: Secret[];
  users: Map<string, UserRow>;
  links: Map<string, LinkRow>;
  apiTokens: Map<string, string>;
  agentTokens: Map<string, string>;
  /** Device keys in the clear: where each may be seen is decided by `placeDeviceKeys`. */
  deviceKeys: DeviceKey[];
}

/** What the database holds, unsealed where sealed, and the master secrets. */
export async function secretsAtRest(db: Db): Promise<AtRest> {
  const secrets: Secret[] = [];
  const users = new Map((await rows<UserRow>(db, sql`select id, email, role, password_hash from users`)).map((u) => [u.id, u]));
  for (const u of users.values()) if (u.password_hash) secrets.push({ value: u.password_hash, label: `password hash of ${u.email}` });
  const links = new Map((await rows<LinkRow>(db, sql`select token_hash, peer_id, user_id from share_links`)).map((l) => [l.token_hash, l]));

  type KeyRow = { peer_id: string; user_id: string; private_key_sealed: string | null; preshared_key_sealed: string; previous: boolean };
  const deviceKeys: DeviceKey[] = [];
  for (const k of await rows<KeyRow>(
    db,
    sql`select id as peer_id, user_id, private_key_sealed, preshared_key_sealed, false as previous from wireguard_peers
        union all
        select k.peer_id, p.user_id, null, k.preshared_key_sealed, true from peer_previous_keys k join wireguard_peers p on p.id = k.peer_id`,
  )) {
    const device = `device ${k.peer_id}`;
    if (k.private_key_sealed) {
      secrets.push({ value: k.private_key_sealed, label: `sealed private key of ${device}` });
      deviceKeys.push({ value: unseal(k.private_key_sealed), label: `private key of ${device}`, peerId: k.peer_id, userId: k.user_id });
    }
    const psk = k.previous ? `previous preshared key of ${device}` : `preshared key of ${device}`;
    secrets.push({ value: k.preshared_key_sealed, label: `sealed ${psk}` });
    deviceKeys.push({ value: unseal(k.preshared_key_sealed), label: psk, peerId: k.peer_id, userId: k.user_id });
  }

  type ServerRow = { id: string; name: string; private_key_sealed: string; agent_token_hash: string | null };
  const agentTokens = new Map<string, string>();
  for (const s of await rows<ServerRow>(db, sql`select id, name, private_key_sealed, agent_token_hash from vpn_servers`)) {
    secrets.push({ value: s.private_key_sealed, label: `sealed private key of server ${s.name}` });
    // Only the server's own agent, pulling its WireGuard config with its token, gets the server's key.
    const mayShow = (a: Answer) => a.status < 400 && a.path === "/api/agent/config" && a.caller.serverId === s.id;
    secrets.push({ value: unseal(s.private_key_sealed), label: `private key of server ${s.name}`, mayShow });
    if (s.agent_token_hash) {
      agentTokens.set(s.agent_token_hash, s.id);
      secrets.push({ value: s.agent_token_hash, label: `agent token hash of server ${s.name}` });
    }
  }

  // Two-factor: the secret leaves the server once, in the setup answer to its owner; hashes of links and recovery codes never.
  type TotpRow = { id: string; email: string; sealed: string };
  for (const t of await rows<TotpRow>(
    db,
    sql`select id, email, totp_secret_sealed as sealed from users where totp_secret_sealed is not null
        union all select id, email, totp_pending_sealed from users where totp_pending_sealed is not null`,
  )) {
    secrets.push({ value: t.sealed, label: `sealed two-factor secret of ${t.email}` });
    const mayShow = (a: Answer) => a.status < 400 && a.method === "POST" && a.path === "/api/me/2fa/setup" && a.caller.userId === t.id;
    secrets.push({ value: unseal(t.sealed), label: `two-factor secret of ${t.email}`, mayShow });
  }
  for (const r of await rows<{ label: string; value: string }>(
    db,
    sql`select 'email link token hash' as label, token_hash as value from email_tokens
        union all select 'recovery code hash', code_hash from user_recovery_codes`,
  )) {
    secrets.push({ value: r.value, label: r.label });
  }

  const apiTokens = new Map<string, string>();
  for (const t of await rows<{ token_hash: string; user_id: string }>(db, sql`select token_hash, user_id from api_tokens`)) {
    apiTokens.set(t.token_hash, t.user_id);
    secrets.push({ value: t.token_hash, label: "personal API token hash" });
  }
  for (const l of links.values()) secrets.push({ value: l.token_hash, label: "one-time link token hash" });
  for (const r of await rows<{ label: string; value: string | null }>(
    db,
    sql`select 'Auth.js session token' as label, session_token as value from sessions
        union all select 'verification token', token from verification_tokens
        union all select 'OAuth refresh token', refresh_token from accounts
        union all select 'OAuth access token', access_token from accounts
        union all select 'OAuth id token', id_token from accounts`,
  )) {
    if (r.value) secrets.push({ value: r.value, label: r.label });
  }

  const master = getRuntimeSecrets();
  secrets.push({ value: master.encryptionKey, label: "the master key (ENCRYPTION_KEY)" });
  secrets.push({ value: master.authSecret, label: "AUTH_SECRET" });
  for (const pair of getEnv().ENCRYPTION_KEYS_OLD?.split(",") ?? []) {
    const [id, key] = pair.split(":");
    if (key) secrets.push({ value: key, label: `old master key ${id}` });
  }
  return { secrets, users, links, apiTokens, agentTokens, deviceKeys };
}

/** A device's private or preshared key, in the clear, and whose device it is. */
export interface DeviceKey {
  value: string;
  label: string;
  peerId: string;
  userId: string;
}

const CONFIG_PATH = /^\/api\/vpn\/peers\/([^/]+)\/config$/;
const SHARE_CREATE_PATH = /^\/api\/vpn\/peers\/([^/]+)\/share$/;
const SHARE_LINK_PATH = /^\/share\/([A-Za-z0-9_-]{22})$/;
/** A devices-page server action called with one device id (its config, its one-time link). */
const DEVICE_ACTION_BODY = /^\["([^"\\]+)"\]$/;
/** The key lines of a wg-quick config (in JSON or a page's payload they follow an escaped line break: no anchor). */
const CONFIG_KEY = /(PrivateKey|PresharedKey) = ([A-Za-z0-9+/]{43}=)/g;

/**
 * Which device's config an answer may carry: the config download of a
 * device, the devices page's request for one device, or the reveal of a
 * one-time link (whose device is told by the answer that created the link).
 */
export class Devices {
  private readonly shareLinks = new Map<string, string>();

  constructor(answers: Answer[], private readonly rest: AtRest) {
    for (const a of answers) {
      const named = this.named(a);
      if (!named || !a.body || a.status >= 400) continue;
      for (const m of a.body.matchAll(SHARE_PATH)) this.shareLinks.set(m[1]!, named);
    }
  }

  /** The device an owner's request names: its config or share route, or a devices-page action's only argument. */
  private named(a: Answer): string | null {
    const byPath = CONFIG_PATH.exec(a.path)?.[1] ?? SHARE_CREATE_PATH.exec(a.path)?.[1];
    if (byPath) {
      try {
        return decodeURIComponent(byPath);
      } catch {
        return byPath; // a malformed escape (a test of bad ids): no device's id
      }
    }
    if (a.method === "POST" && a.path === "/devices") return DEVICE_ACTION_BODY.exec(a.requestBody.trim())?.[1] ?? null;
    return null;
  }

  /** The device of a one-time link token, if the run or the database knows the link. */
  shareLinkDevice(token: string): string | null {
    return this.shareLinks.get(token) ?? this.rest.links.get(hashToken(token))?.peer_id ?? null;
  }

  /** The device whose config this answer may hold, and for whom: its owner (`userId`) or any holder of its link (null). */
  configOf(a: Answer): { peerId: string; userId: string | null } | null {
    if (a.status >= 400) return null;
    const token = a.method === "POST" ? SHARE_LINK_PATH.exec(a.path)?.[1] : undefined;
    if (token) {
      const peerId = this.shareLinkDevice(token);
      return peerId ? { peerId, userId: null } : null;
    }
    if (a.method !== "GET" && !(a.method === "POST" && a.path === "/devices")) return null;
    if (SHARE_CREATE_PATH.test(a.path)) return null;
    const peerId = this.named(a);
    return peerId && a.caller.userId ? { peerId, userId: a.caller.userId } : null;
  }
}

/**
 * Device keys may be seen in their device's config only, by its owner or the
 * holder of its one-time link. Keys of devices deleted during the run are no
 * longer in the database: those are taken from the configs the app served,
 * and their owner is whoever got the device's config as its owner.
 */
export function placeDeviceKeys(answers: Answer[], devices: Devices, known: DeviceKey[]): Secret[] {
  const ordered = [...answers].sort((x, y) => x.seq - y.seq);
  const ownerOf = (peerId: string) => ordered.map((a) => devices.configOf(a)).find((c) => c?.peerId === peerId && c.userId)?.userId ?? "";
  const keys = new Map(known.map((k) => [k.value, k]));
  for (const a of ordered) {
    for (const m of a.body?.matchAll(CONFIG_KEY) ?? []) {
      const value = m[2]!;
      if (keys.has(value)) continue;
      const peerId = devices.configOf(a)?.peerId;
      const kind = m[1] === "PrivateKey" ? "private key" : "preshared key";
      keys.set(value, {
        value,
        label: peerId ? `${kind} of deleted device ${peerId}` : `${kind} of a deleted device, first seen outside its config`,
        peerId: peerId ?? "",
        userId: peerId ? ownerOf(peerId) : "",
      });
    }
  }
  return [...keys.values()].map((k) => ({
    value: k.value,
    label: k.label,
    mayShow: (a: Answer) => {
      const config = devices.configOf(a);
      return !!k.peerId && config?.peerId === k.peerId && (config.userId === null || config.userId === k.userId);
    },
  }));
}

/** Who each request came from: the session cookie decoded with the app's secret, or the bearer token looked up by its hash. */
export async function resolveCallers(exchanges: Exchange[], rest: AtRest): Promise<Answer[]> {
  const secret = getRuntimeSecrets().authSecret;
  const sessions = new Map<string, Promise<string | null>>();
  const subjectOf = (token: string) => {
    if (!sessions.has(token)) {
      sessions.set(
        token,
        decode({ token, secret, salt: SESSION_COOKIE }).then((jwt) => jwt?.sub ?? null, () => null),
      );
    }
    return sessions.get(token)!;
  };
  return Promise.all(
    exchanges.map(async (e) => {
      const userId = (e.session ? await subjectOf(e.session) : null) ?? (e.bearerHash ? rest.apiTokens.get(e.bearerHash) ?? null : null);
      const user = userId ? rest.users.get(userId) : undefined;
      const caller: Caller = {
        userId,
        role: user?.role ?? null,
        email: user?.email ?? null,
        serverId: e.bearerHash ? rest.agentTokens.get(e.bearerHash) ?? null : null,
      };
      return { ...e, caller, path: new URL(e.url, "http://e2e.invalid").pathname };
    }),
  );
}

/**
 * Plaintext secrets the run itself produced: the personal and agent tokens
 * and the one-time link tokens the app revealed (each allowed once, in the
 * answer that created it, to whoever created it), and the passwords typed
 * into forms (allowed nowhere).
 */
export function secretsOfTheRun(answers: Answer[], texts: string[], rest: AtRest, devices: Devices): Secret[] {
  const secrets: Secret[] = [];
  const tokens = new Set<string>();
  const shareTokens = new Set<string>();
  for (const text of [...texts, ...answers.map((a) => a.url)]) {
    for (const m of text.matchAll(TOKEN_PATTERN)) tokens.add(m[0]);
    for (const m of text.matchAll(SHARE_PATH)) shareTokens.add(m[1]!);
  }
  const created = (a: Answer) => a.method === "POST" && a.status < 400;
  for (const token of tokens) {
    const hash = hashToken(token);
    if (token.startsWith("swa_")) {
      const known = rest.agentTokens.has(hash) ? "" : " (no longer in use)";
      secrets.push({ value: token, label: `an agent token${known}`, once: (a) => created(a) && a.caller.role === "admin" });
    } else {
      const owner = rest.apiTokens.get(hash);
      secrets.push({
        value: token,
        label: "a personal API token",
        once: (a) => created(a) && a.caller.userId !== null && (owner === undefined || a.caller.userId === owner),
      });
    }
  }
  for (const token of shareTokens) {
    // A path like /share/abc… is a link if the database or the answer that made it says so.
    if (!devices.shareLinkDevice(token)) continue;
    const owner = rest.links.get(hashToken(token))?.user_id;
    secrets.push({
      value: token,
      label: "a one-time link token",
      once: (a) => created(a) && a.caller.userId !== null && (owner === undefined || a.caller.userId === owner),
    });
  }
  const passwords = new Set<string>();
  for (const a of answers) for (const p of passwordsIn(a.requestBody)) if (p.length >= MIN_PASSWORD) passwords.add(p);
  for (const p of passwords) secrets.push({ value: p, label: "a password typed into a form" });
  return secrets;
}

/** Values of fields named …password… in a multipart, urlencoded or JSON request body. */
function passwordsIn(body: string): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/name="[^"]*password[^"]*"\r\n\r\n([^\r\n]*)/gi)) found.push(m[1]!);
  for (const m of body.matchAll(/(?:^|&)[^=&]*password[^=&]*=([^&]*)/gi)) {
    try {
      found.push(decodeURIComponent(m[1]!.replace(/\+/g, " ")));
    } catch {
      found.push(m[1]!);
    }
  }
  for (const m of body.matchAll(/"[^"]*password[^"]*"\s*:\s*"((?:[^"\\]|\\.)*)"/gi)) found.push(JSON.parse(`"${m[1]}"`) as string);
  return found;
}

/** Every table, less the columns whose job is to hold a secret, one JSON row a line. */
export async function tableDumps(db: Db): Promise<{ table: string; text: string; rows: number }[]> {
  const tables = await rows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const dumps = [];
  for (const { name } of tables) {
    const drop = (SECRET_COLUMNS[name] ?? []).map((c) => ` - '${c}'`).join("");
    const [r] = await rows<{ text: string | null; n: number }>(
      db,
      sql.raw(`select string_agg((to_jsonb(x)${drop})::text, E'\\n') as text, count(*)::int as n from "${name}" x`),
    );
    dumps.push({ table: name, text: r?.text ?? "", rows: r?.n ?? 0 });
  }
  return dumps;
}

/** The forms a secret can take in text: as is, and percent-encoded (a URL, a form body). */
function forms(value: string): string[] {
  const encoded = encodeURIComponent(value);
  return encoded === value ? [value] : [value, encoded];
}

const SHARE_IN_URL = /\/share\/[A-Za-z0-9_-]{22}/g;

export function describe(a: Answer): string {
  const who = a.caller.email ? `as ${a.caller.email}` : a.caller.serverId ? `as the agent of server ${a.caller.serverId}` : "signed out";
  return `${a.method} ${a.url.replace(SHARE_IN_URL, "/share/<token>")} → ${a.status}, ${who}, in "${a.test ?? "no test"}"`;
}

export interface ScanResult {
  findings: Finding[];
  /** Secrets seen where they belong: the labels by the answer's `seq`. */
  allowed: Map<number, string[]>;
}

/** Looks for every secret in every answer, the log and every table; keeps what is not where it belongs. */
export function scan(secrets: Secret[], answers: Answer[], log: string, tables: { table: string; text: string }[]): ScanResult {
  const findings: Finding[] = [];
  const allowed = new Map<number, string[]>();
  const ordered = [...answers].sort((x, y) => x.seq - y.seq);
  const texts = ordered.map((a) => (a.body === null ? a.headers : `${a.headers}\n${a.body}`));
  for (const secret of secrets) {
    const variants = forms(secret.value);
    const holds = (text: string) => variants.some((v) => text.includes(v));
    let first = true;
    ordered.forEach((a, i) => {
      if (!holds(texts[i]!)) return;
      const ok = secret.once ? first && secret.once(a) : !!secret.mayShow?.(a);
      first = false;
      if (ok) allowed.set(a.seq, [...(allowed.get(a.seq) ?? []), secret.label]);
      else findings.push({ label: secret.label, where: `the answer to ${describe(a)}` });
    });
    if (holds(log)) {
      const line = log.split("\n").findIndex(holds) + 1;
      findings.push({ label: secret.label, where: `the server log, line ${line}` });
    }
    for (const t of tables) if (holds(t.text)) findings.push({ label: secret.label, where: `table ${t.table}` });
  }
  return { findings, allowed };
}
