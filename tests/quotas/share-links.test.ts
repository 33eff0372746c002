import { createHash } from "node:crypto";
import { resetEnv } from "@/lib/env";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { shareLinks } from "@/db/schema";
import * as shareApi from "@/app/api/vpn/peers/[id]/share/route";
import * as sharePage from "@/app/share/[token]/route";
import { peerConfig } from "@/lib/services/peer-config";
import { createPeer, revokePeer } from "@/lib/services/peers";
import { createShareLink, redeemShareLink, SHARE_LINK_TTL_MINUTES } from "@/lib/services/share-links";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { call } from "../support/api";
import { makeServer, makeUser } from "./helpers";

const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
const page = (method: "GET" | "POST", token: string, ip = "198.51.100.7") =>
  call((method === "GET" ? sharePage.GET : sharePage.POST) as never, {
    method,
    path: `/share/${token}`,
    params: { token },
    headers: { "x-forwarded-for": ip, ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
  });
const unescapeHtml = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
const configIn = (html: string) => unescapeHtml(/<pre data-testid="share-config">([\s\S]*?)<\/pre>/.exec(html)![1]!);

async function linkRow(token: string) {
  const db = await getDb();
  const hash = createHash("sha256").update(token).digest("hex");
  const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, hash));
  return row;
}

async function auditFor(linkId: string) {
  const db = await getDb();
  return rows<{ action: string; actor_kind: string; ip: string | null }>(db, sql`select action, actor_kind, ip from audit_log where target_id = ${linkId} order by id`);
}

describe("one-time config links", () => {
  let serverId: string;
  let owner: Awaited<ReturnType<typeof makeUser>>;
  beforeAll(async () => {
    serverId = (await makeServer()).id;
    // These requests come "through a load balancer" that names the client in X-Forwarded-For.
    resetEnv({ TRUSTED_PROXIES: "1" });
  });
  afterAll(() => {
    resetEnv({ TRUSTED_PROXIES: undefined });
  });
  // A fresh owner per case: the default plan allows 5 devices.
  beforeEach(async () => {
    owner = await makeUser();
  });

  async function device(name = `Phone ${Math.random().toString(36).slice(2, 7)}`, publicKey?: string) {
    return createPeer(owner.actor, { serverId, deviceName: name, deviceType: "ios", ...(publicKey ? { publicKey } : {}) });
  }

  it("POST /api/vpn/peers/:id/share answers 201 {url, expiresAt}: 128 random bits, 15 minutes, stored only as a SHA-256", async () => {
    const peer = await device();
    const before = Date.now();
    const res = await call(shareApi.POST, { token: owner.token, params: { id: peer.id } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(["expiresAt", "url"]);
    expect(res.json.url).toMatch(/^http:\/\/localhost:3000\/share\/[A-Za-z0-9_-]{22}$/);
    const after = Date.now();
    // The link's clock is the database's, read during the call: its 15 minutes start between `before` and
    // `after`, however long a busy machine took over the call.
    const expiresAt = new Date(res.json.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + SHARE_LINK_TTL_MINUTES * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(after + SHARE_LINK_TTL_MINUTES * 60_000);

    const token = tokenOf(res.json.url);
    expect(Buffer.from(token, "base64url")).toHaveLength(16);
    const row = await linkRow(token);
    expect(row).toMatchObject({ peerId: peer.id, userId: owner.id, usedAt: null });
    // The token itself is nowhere in the database: not in the link's row, not in the audit log, not anywhere else.
    await page("GET", token);
    await page("POST", token);
    const db = await getDb();
    const tables = await rows<{ t: string }>(db, sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
    for (const { t } of tables) {
      const [hit] = await rows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(t)} x where x::text like ${`%${token}%`}`);
      expect(hit?.n, `token found in ${t}`).toBe(0);
    }
  });

  it("GET shows only a reveal button and never uses the link; POST uses it and answers the QR code and the config; then 410", async () => {
    const peer = await device("Alice's \"phone\" <1>");
    const token = tokenOf((await createShareLink(owner.actor, peer.id)).url);

    for (let i = 0; i < 3; i++) {
      const get = await page("GET", token);
      expect(get.status).toBe(200);
      expect(get.text).toContain("Reveal configuration");
      expect(get.text).toContain('<form method="post">');
      expect(get.text).not.toMatch(/PrivateKey|PresharedKey|share-qr/);
      expect(get.text).toContain("Alice&#39;s &quot;phone&quot; &lt;1&gt;");
    }
    expect((await linkRow(token))!.usedAt).toBeNull();

    const post = await page("POST", token, "198.51.100.23");
    expect(post.status).toBe(200);
    expect(post.text).toContain('data-testid="share-qr"');
    expect(post.text).toMatch(/<svg[^>]*viewBox/);
    expect(configIn(post.text)).toBe((await peerConfig(owner.actor, peer.id)).text);
    const download = /href="data:text\/plain;charset=utf-8;base64,([^"]+)" download="([^"]+)"/.exec(post.text)!;
    expect(Buffer.from(download[1]!, "base64").toString("utf8")).toBe((await peerConfig(owner.actor, peer.id)).text);
    expect(download[2]).toMatch(/^[a-zA-Z0-9_=+.-]{1,15}\.conf$/);

    const row = (await linkRow(token))!;
    expect(row.usedAt).not.toBeNull();
    expect(row.usedIp).toBe("198.51.100.23");
    expect(await auditFor(row.id)).toEqual([
      { action: "share_link.created", actor_kind: "user", ip: null },
      { action: "share_link.used", actor_kind: "anonymous", ip: "198.51.100.23" },
    ]);

    for (const method of ["GET", "POST"] as const) {
      const dead = await page(method, token);
      expect(dead.status).toBe(410);
      expect(dead.text).toContain("already used");
      expect(dead.text).not.toContain("PrivateKey");
    }
  });

  it("sets headers that keep the page out of caches, indexes, frames and Referer headers", async () => {
    const peer = await device();
    const token = tokenOf((await createShareLink(owner.actor, peer.id)).url);
    for (const res of [await page("GET", token), await page("POST", token), await page("GET", token)]) {
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toMatch(/no-store/);
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-robots-tag")).toMatch(/noindex/);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(res.text).toContain('<meta name="robots" content="noindex, nofollow, noarchive">');
    }
  });

  it("expires after 15 minutes: 410 to GET and POST, and the expired hit is audited", async () => {
    const peer = await device();
    const created = new Date();
    const link = await createShareLink(owner.actor, peer.id, created);
    const token = tokenOf(link.url);
    const expiresAt = new Date(link.expiresAt).getTime();
    expect(expiresAt - created.getTime()).toBe(15 * 60_000);

    // A minute before the end it still works (on the link's own clock)...
    const other = tokenOf((await createShareLink(owner.actor, peer.id, created)).url);
    await expect(redeemShareLink(other, { ip: null }, new Date(expiresAt - 60_000))).resolves.toMatchObject({ deviceName: peer.deviceName });
    // ...at 15 minutes it does not.
    await expect(redeemShareLink(token, { ip: null }, new Date(expiresAt))).rejects.toMatchObject({ code: "gone", status: 410 });

    const stale = tokenOf((await createShareLink(owner.actor, peer.id, new Date(Date.now() - 16 * 60_000))).url);
    for (const method of ["GET", "POST"] as const) {
      const res = await page(method, stale);
      expect(res.status).toBe(410);
      expect(res.text).toContain("expired");
    }
    const row = (await linkRow(stale))!;
    expect(row.usedAt).toBeNull();
    expect((await auditFor(row.id)).map((a) => a.action)).toEqual(["share_link.created", "share_link.expired", "share_link.expired"]);
  });

  it("refuses bring-your-own-key devices (409), other users' devices (404), revoked ones (410), and unknown tokens (404)", async () => {
    const byok = await device(undefined, generateKeyPair().publicKey);
    const refused = await call(shareApi.POST, { token: owner.token, params: { id: byok.id } });
    expect(refused.status).toBe(409);
    expect(refused.json.error.message).toMatch(/private key/);

    const mine = await device();
    const stranger = await makeUser();
    expect((await call(shareApi.POST, { token: stranger.token, params: { id: mine.id } })).status).toBe(404);
    expect((await call(shareApi.POST, { params: { id: mine.id } })).status).toBe(401);

    const link = tokenOf((await createShareLink(owner.actor, mine.id)).url);
    await revokePeer(owner.actor, mine.id);
    expect((await call(shareApi.POST, { token: owner.token, params: { id: mine.id } })).status).toBe(410);
    expect((await page("GET", link)).status).toBe(410);
    expect((await page("POST", link)).status).toBe(410);

    for (const token of ["A".repeat(22), "not-a-token", "x".repeat(200)]) {
      expect((await page("GET", token)).status).toBe(404);
      expect((await page("POST", token)).status).toBe(404);
    }
  });

  it("works once under concurrent POSTs", async () => {
    const peer = await device();
    const token = tokenOf((await createShareLink(owner.actor, peer.id)).url);
    const results = await Promise.all(Array.from({ length: 12 }, () => page("POST", token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410)).toHaveLength(11);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("one-time config links on PostgreSQL", () => {
  it("exactly one of many truly concurrent redemptions succeeds", async () => {
    const serverId = (await makeServer()).id;
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId, deviceName: "Race phone", deviceType: "android" });
    for (let round = 0; round < 5; round++) {
      const token = tokenOf((await createShareLink(u.actor, peer.id)).url);
      const settled = await Promise.allSettled(Array.from({ length: 16 }, () => redeemShareLink(token, { ip: null })));
      const ok = settled.filter((s) => s.status === "fulfilled");
      expect(ok).toHaveLength(1);
      for (const s of settled) if (s.status === "rejected") expect(s.reason).toMatchObject({ code: "gone" });
      const db = await getDb();
      const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'share_link.used' and metadata->>'peerId' = ${peer.id}`);
      expect(n).toBe(round + 1);
    }
  });
});
