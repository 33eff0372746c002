import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentPushes, apiTokens, peerLiveStats, wireguardPeers } from "@/db/schema";
import * as peersRoute from "@/app/api/vpn/peers/route";
import * as peerRoute from "@/app/api/vpn/peers/[id]/route";
import * as shareRoute from "@/app/api/vpn/peers/[id]/share/route";
import * as statsRoute from "@/app/api/agent/stats/route";
import { createPeer } from "@/lib/services/peers";
import { createShareLink } from "@/lib/services/share-links";
import { parseWgDump, MAX_CLOCK_SKEW_SECONDS } from "@/lib/wireguard/dump";
import { describeError, redactConsoleErrors } from "@/lib/log";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { startSession } from "@/lib/services/sessions";
import * as rotateRoute from "@/app/api/vpn/peers/[id]/rotate/route";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as adminPeersRoute from "@/app/api/admin/peers/route";
import * as devicesCsvRoute from "@/app/api/admin/export/devices.csv/route";
import * as userPlanRoute from "@/app/api/admin/users/[id]/plan/route";
import { getUserReport } from "@/lib/dal/analytics";
import { listUserIncidents } from "@/lib/dal/abuse-history";
import { getIncident, getIncidentDetail } from "@/lib/dal/abuse";
import { getOutboxEmail } from "@/lib/dal/outbox";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

async function setup() {
  const server = await makeServer();
  const u = await makeUser();
  const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
  return { server, u, peer };
}

function dumpWithHandshake(publicKey: string, seconds: string): string {
  const text = makeDump([{ publicKey, handshake: new Date(), rx: 5, tx: 6 }]);
  return text.replace(/\t\d+\t5\t6\toff/, `\t${seconds}\t5\t6\toff`);
}

describe("time values from outside are range-checked where they are parsed", () => {
  it("a handshake from the far future makes the dump malformed: 400, nothing changes", async () => {
    const { server, u, peer } = await setup();
    for (const seconds of ["8700000000000", "9007199254740991", String(Math.floor(Date.now() / 1000) + 2 * MAX_CLOCK_SKEW_SECONDS)]) {
      const res = await call(statsRoute.POST, { token: server.agentToken, rawBody: dumpWithHandshake(peer.publicKey, seconds), headers: { "content-type": "text/plain" } });
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
    }
    const db = await getDb();
    expect(await db.select().from(agentPushes).where(eq(agentPushes.serverId, server.id))).toEqual([]);
    const [live] = await db.select().from(peerLiveStats).where(eq(peerLiveStats.peerId, peer.id));
    expect(live!.lastHandshakeAt).toBeNull();
    expect(Number(live!.bytesSent)).toBe(0);
    // The owner's reads still work.
    expect((await call(peersRoute.GET, { token: u.token })).status).toBe(200);
  });

  it("a clock a little ahead (within the allowed skew) is accepted", async () => {
    const { server, peer } = await setup();
    const ahead = String(Math.floor(Date.now() / 1000) + MAX_CLOCK_SKEW_SECONDS / 2);
    const res = await call(statsRoute.POST, { token: server.agentToken, rawBody: dumpWithHandshake(peer.publicKey, ahead), headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(202);
  });

  it("the parser says which line and why", () => {
    const r = parseWgDump(dumpWithHandshake("A".repeat(42) + "A=", "8700000000000"));
    expect(r).toMatchObject({ ok: false, line: 2, reason: expect.stringContaining("future") });
  });

  it("a value stored before the check never makes a read throw", async () => {
    const { u, peer } = await setup();
    const db = await getDb();
    await db.execute(sql`update peer_live_stats set last_handshake_at = to_timestamp(8700000000000) where peer_id = ${peer.id}`);
    const list = await call(peersRoute.GET, { token: u.token });
    expect(list.status).toBe(200);
    expect(list.json.items[0].lastHandshakeAt).toBeNull();
    const one = await call(peerRoute.GET, { token: u.token, params: { id: peer.id } });
    expect(one.status).toBe(200);
    expect(one.json.lastHandshakeAt).toBeNull();
    // The administrators' reads of the same device: the peers list and the devices export.
    const admin = await makeUser("admin");
    const search = `q=${encodeURIComponent(peer.publicKey)}`;
    const adminList = await call(adminPeersRoute.GET, { token: admin.token, path: `/api/admin/peers?${search}` });
    expect(adminList.status).toBe(200);
    expect(adminList.json.items).toEqual([expect.objectContaining({ id: peer.id, lastHandshakeAt: null })]);
    const csv = await call(devicesCsvRoute.GET, { token: admin.token, path: `/api/admin/export/devices.csv?${search}` });
    expect(csv.status).toBe(200);
    const [header, row, ...rest] = csv.text.trim().split("\r\n");
    expect(rest).toEqual([]);
    const cells = row!.split(",");
    expect(cells[0]).toBe(peer.id);
    expect(cells[header!.split(",").indexOf("last_handshake_at")]).toBe("");
  });
});

/** Every route handler under app/api with a dynamic segment, with its methods. */
function routesWithIds(): { file: string; methods: string[]; params: string[] }[] {
  const out: { file: string; methods: string[]; params: string[] }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const params = [...p.matchAll(/\[([^\].]+)\]/g)].map((m) => m[1]!);
        const src = fs.readFileSync(p, "utf8");
        const methods = ["GET", "POST", "PATCH", "PUT", "DELETE"].filter((m) => new RegExp(`export const ${m}\\b`).test(src));
        if (params.length > 0 && !p.includes("[...")) out.push({ file: p, methods, params });
      }
    }
  };
  walk("app/api");
  return out;
}

describe("every id is shape-checked at the boundary", () => {
  it("a NUL byte or garbage in any path id answers 404, never a database error", async () => {
    const admin = await makeUser("admin");
    const routes = routesWithIds();
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const mod = (await import(/* @vite-ignore */ path.resolve(route.file))) as Record<string, (...a: never[]) => Promise<Response>>;
      for (const method of route.methods) {
        for (const bad of ["abc\u0000def", "x".repeat(5000), "../../etc", "1 or 1=1"]) {
          const params = Object.fromEntries(route.params.map((p) => [p, bad]));
          const agent = route.file.includes("/agent/");
          const res = await call(mod[method] as never, { method, token: agent ? "swa_invalid" : admin.token, params, body: method === "GET" || method === "DELETE" ? undefined : {} });
          expect([404, 401], `${method} ${route.file} with ${JSON.stringify(bad.slice(0, 12))}`).toContain(res.status);
          expect(res.text).not.toMatch(/invalid byte sequence|syntax|select|insert|stack/i);
        }
      }
    }
  });

  it("a NUL byte in serverId is a validation error", async () => {
    const u = await makeUser();
    const res = await call(peersRoute.POST, { token: u.token, body: { serverId: "abc\u0000", deviceName: "x", deviceType: "ios" } });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].path).toBe("serverId");
  });
});

type ObjectSchema = { shape: Record<string, unknown>; safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } };

/** Every exported zod object of lib/validation, named "file#export". */
async function validationObjects(): Promise<{ name: string; schema: ObjectSchema }[]> {
  const out: { name: string; schema: ObjectSchema }[] = [];
  for (const file of fs.readdirSync("lib/validation").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
    const mod = (await import(/* @vite-ignore */ path.resolve("lib/validation", file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      const shape = (value as Partial<ObjectSchema> | undefined)?.shape;
      if (shape && typeof shape === "object") out.push({ name: `${file}#${name}`, schema: value as ObjectSchema });
    }
  }
  return out;
}

describe("every id field of a body or query follows the one id rule", () => {
  it("each field named like an id (id, ids, …Id) refuses what the id pattern refuses", async () => {
    const found: string[] = [];
    const lax: string[] = [];
    for (const { name, schema } of await validationObjects()) {
      for (const field of Object.keys(schema.shape).filter((k) => /^(id|ids)$|Id$/.test(k))) {
        found.push(`${name}.${field}`);
        for (const bad of ["abc\u0000", "bad id!", "-leading-dash", "x".repeat(101)]) {
          const r = schema.safeParse({ [field]: field === "ids" ? [bad] : bad });
          if (r.success || !r.error!.issues.some((i) => i.path[0] === field)) lax.push(`${name}.${field} took ${JSON.stringify(bad.slice(0, 16))}`);
        }
      }
    }
    expect(found).toEqual(expect.arrayContaining(["admin.ts#ChangePlanSchema.planId", "vpn.ts#CreatePeerSchema.serverId", "support.ts#UpdateTicketSchema.assignedToId", "support-tools.ts#BulkUpdateSchema.assigneeId"]));
    expect(lax).toEqual([]);
  });

  it("POST /api/admin/users/:id/plan: a planId that is no id is a 400 on planId, never a query", async () => {
    const admin = await makeUser("admin");
    const u = await makeUser();
    for (const planId of ["abc\u0000", "bad id!", "x".repeat(101)]) {
      const res = await call(userPlanRoute.POST, { token: admin.token, params: { id: u.id }, body: { planId } });
      expect(res.status, planId.slice(0, 12)).toBe(400);
      expect(res.json.error.details[0].path).toBe("planId");
    }
    expect((await call(userPlanRoute.POST, { token: admin.token, params: { id: u.id }, body: { planId: "premium" } })).status).toBe(200);
  });

  it("the pages' reads by id (user report, abuse incident, outbox email) answer not found for an id that cannot exist", async () => {
    const admin = await makeUser("admin");
    for (const bad of ["abc\u0000def", "x".repeat(5000), "1 or 1=1"]) {
      await expect(getUserReport(admin.actor, bad), "getUserReport").rejects.toMatchObject({ code: "not_found" });
      await expect(listUserIncidents(admin.actor, bad), "listUserIncidents").rejects.toMatchObject({ code: "not_found" });
      await expect(getIncident(admin.actor, bad), "getIncident").rejects.toMatchObject({ code: "not_found" });
      await expect(getIncidentDetail(admin.actor, bad), "getIncidentDetail").rejects.toMatchObject({ code: "not_found" });
      await expect(getOutboxEmail(admin.actor, bad), "getOutboxEmail").rejects.toMatchObject({ code: "not_found" });
    }
  });
});

describe("a rate limit belongs to the operation, not to a door", () => {
  it("share links: the API's uses count for the page's action and the other way round", async () => {
    const { u, peer } = await setup();
    for (let i = 0; i < 20; i++) expect((await call(shareRoute.POST, { token: u.token, params: { id: peer.id } })).status).toBe(201);
    // The device page's action calls the same service: refused too.
    await expect(createShareLink(u.actor, peer.id)).rejects.toMatchObject({ code: "rate_limited" });
    const res = await call(shareRoute.POST, { token: u.token, params: { id: peer.id } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("logs never carry a statement's parameters", () => {
  it("what the framework prints about an error (console.error) is redacted too", async () => {
    const u = await makeUser();
    const db = await getDb();
    const [row] = await db.select({ hash: apiTokens.tokenHash }).from(apiTokens).where(eq(apiTokens.userId, u.id));
    const err = await db.select().from(apiTokens).where(sql`${apiTokens.tokenHash} = ${row!.hash} and 1/0 = 1`).then(() => null, (e: unknown) => e);
    expect(String((err as Error).message)).toContain(row!.hash); // what drizzle itself puts in the message
    const printed: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void printed.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
    try {
      redactConsoleErrors();
      console.error(err);
      console.error(`⨯ ${(err as Error).message}`);
    } finally {
      console.error = original;
      (globalThis as { __swConsoleRedacted?: boolean }).__swConsoleRedacted = false;
    }
    expect(printed).toHaveLength(2);
    for (const line of printed) expect(line).not.toContain(row!.hash);
    expect(printed[0]).toContain("22012"); // division by zero, by its SQLSTATE
  });

  it("a database error is described by its code, constraint and statement, without values", async () => {
    const u = await makeUser();
    const db = await getDb();
    const [row] = await db.select({ hash: apiTokens.tokenHash }).from(apiTokens).where(eq(apiTokens.userId, u.id));
    const err = await db
      .insert(apiTokens)
      .values({ userId: u.id, name: "dup", tokenHash: row!.hash, prefix: "swp_x" })
      .then(() => null, (e: unknown) => e);
    const fields = describeError(err);
    expect(fields).toMatchObject({ error: "DatabaseError", code: "23505" });
    expect(String(fields.statement)).toMatch(/^insert into "api_tokens"/);
    expect(JSON.stringify(fields)).not.toContain(row!.hash);
    expect(JSON.stringify(fields)).not.toContain(u.id);
  });
});

/** The session cookie a signed-in browser sends (a recorded session, plain-HTTP cookie name). */
async function browserCookie(userId: string): Promise<string> {
  const { encode } = await import("next-auth/jwt");
  const name = "authjs.session-token";
  const sid = await startSession(userId, { userAgent: null, ip: null });
  return `${name}=${await encode({ token: { sub: userId, sid }, secret: getRuntimeSecrets().authSecret, salt: name })}`;
}

describe("cookie-authenticated writes must come from the app's own origin (CSRF)", () => {
  it("refuses another origin, a same-site page, and a request that says neither; accepts the app's own", async () => {
    const { u, peer } = await setup();
    const cookie = await browserCookie(u.id);
    const rotate = (headers: Record<string, string>, rawBody?: string) =>
      call(rotateRoute.POST, { params: { id: peer.id }, headers: { cookie, host: "localhost:3000", ...headers }, rawBody: rawBody ?? "{}" });
    for (const headers of <Record<string, string>[]>[
      { origin: "http://localhost:4000", "content-type": "application/json" },
      { origin: "https://localhost:3000", "content-type": "application/json" },
      { origin: "null", "content-type": "application/json" },
      { "sec-fetch-site": "same-site", "content-type": "application/json" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      { "content-type": "application/json" },
    ]) {
      const res = await rotate(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json.error.code).toBe("forbidden");
    }
    // Refused before the body is even looked at: a text/plain body from another origin is a 403, not a 415.
    expect((await rotate({ origin: "http://evil.test", "content-type": "text/plain" })).status).toBe(403);
    // From the app itself, JSON must say it is JSON.
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await rotate({ origin: "http://localhost:3000", "content-type": type });
      expect(res.status, type).toBe(415);
      expect(res.json.error.code).toBe("unsupported_media_type");
    }
    const db = await getDb();
    const [before] = await db.select({ v: wireguardPeers.keyVersion }).from(wireguardPeers).where(eq(wireguardPeers.id, peer.id));
    expect(before!.v).toBe(1); // nothing above changed the device
    expect((await rotate({ origin: "http://localhost:3000", "content-type": "application/json; charset=utf-8" })).status).toBe(200);
    expect((await rotate({ "sec-fetch-site": "same-origin", "content-type": "application/json" })).status).toBe(200);
  });

  it("the configured APP_URL counts as the app's own origin (behind a proxy that rewrites Host)", async () => {
    const { u } = await setup();
    const cookie = await browserCookie(u.id);
    const res = await call(ticketsRoute.POST, {
      headers: { cookie, host: "10.0.0.5:3000", origin: "http://localhost:3000", "content-type": "application/json" },
      rawBody: JSON.stringify({ subject: "Hello", description: "From the app", category: "other", priority: "low" }),
    });
    expect(res.status).toBe(201);
  });

  it("reads are not affected, and neither are bearer-token requests", async () => {
    const { u, peer } = await setup();
    const cookie = await browserCookie(u.id);
    expect((await call(peerRoute.GET, { params: { id: peer.id }, headers: { cookie, origin: "http://evil.test" } })).status).toBe(200);
    const res = await call(rotateRoute.POST, { token: u.token, params: { id: peer.id }, headers: { origin: "http://evil.test", "content-type": "text/plain" }, rawBody: "{}" });
    expect(res.status).toBe(200);
  });
});
