import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, beforeAll } from "vitest";
import { createPeer } from "@/lib/services/peers";
import { createMacro, createTicket } from "@/lib/services/support";
import { startSession } from "@/lib/services/sessions";
import { requestPlanChange } from "@/lib/services/plan-requests";
import { resetEnv } from "@/lib/env";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

/**
 * Every API route with who may call it. A route on disk that is missing here
 * fails the test, so a new route cannot ship unreviewed. Each route is called
 * as anonymous, as the owner of the resource, as another user, as a support
 * agent, as an admin and with a VPN server's agent token.
 *
 * access:
 *   user   any signed-in account, acting on its own data
 *   owner  a resource of the caller's (`:peer` / `:ticket`): others get 404, never its data
 *   ownerOrAdmin  like owner, and admins may act on anyone's (device expiry)
 *   requester     the ticket's requester only: staff are refused (rating)
 *   ticket like owner, but support staff may act on any ticket
 *   staff  support agents and admins
 *   admin  admins only
 *   agent  a VPN server's agent token only
 *   public no sign-in (Auth.js itself, Inngest's own signed endpoint, metrics with its own token)
 */
type Access = "user" | "owner" | "ownerOrAdmin" | "ticket" | "requester" | "staff" | "admin" | "agent" | "public";
type Fixtures = { server: { id: string }; otherServer: { id: string } };
const ROUTES: Record<string, { access: Access; body?: unknown | ((ctx: Fixtures) => unknown) }> = {
  "GET /api/me": { access: "user" },
  // A wrong password: every caller may ask (400), and no account is deleted by the table.
  "DELETE /api/me": { access: "user", body: { password: "not the password" } },
  "GET /api/me/plan": { access: "user" },
  "GET /api/me/plan/requests": { access: "user" },
  "POST /api/me/plan/requests": { access: "user", body: { planId: "premium" } },
  "DELETE /api/me/plan/requests": { access: "user" },
  "GET /api/me/sessions": { access: "user" },
  "DELETE /api/me/sessions/:session": { access: "owner" },
  "POST /api/me/sessions/revoke-all": { access: "user" },
  "POST /api/me/password": { access: "user", body: { currentPassword: "not the password", newPassword: "another long password" } },
  "POST /api/me/2fa/setup": { access: "user" },
  "POST /api/me/2fa/enable": { access: "user", body: { code: "000000" } },
  "POST /api/me/2fa/disable": { access: "user", body: { password: "not the password", code: "000000" } },
  "POST /api/me/email-verification": { access: "user" },
  "GET /api/vpn/servers": { access: "user" },
  "GET /api/vpn/peers": { access: "user" },
  "POST /api/vpn/peers": { access: "user", body: {} },
  "GET /api/vpn/peers/:peer": { access: "owner" },
  "PATCH /api/vpn/peers/:peer": { access: "owner", body: { rotationIntervalDays: 30 } },
  "DELETE /api/vpn/peers/:peer": { access: "owner" },
  "GET /api/vpn/peers/:peer/config": { access: "owner" },
  "GET /api/vpn/peers/:peer/qr": { access: "owner" },
  "POST /api/vpn/peers/:peer/rotate": { access: "owner", body: {} },
  "POST /api/vpn/peers/:peer/revoke": { access: "owner" },
  "POST /api/vpn/peers/:peer/share": { access: "owner" },
  "POST /api/vpn/peers/:peer/move": { access: "owner", body: (ctx: Fixtures) => ({ serverId: ctx.otherServer.id }) },
  "PATCH /api/vpn/peers/:peer/expiry": { access: "ownerOrAdmin", body: { expiresAt: null } },
  "POST /api/vpn/peers/:peer/expiry": { access: "ownerOrAdmin", body: { expiresAt: null } },
  "POST /api/support/tickets": { access: "user", body: {} },
  "GET /api/support/tickets": { access: "user" },
  "GET /api/support/tickets/:ticket": { access: "ticket" },
  "PATCH /api/support/tickets/:ticket": { access: "ticket", body: { status: "closed" } },
  "POST /api/support/tickets/:ticket/messages": { access: "ticket", body: { message: "hello" } },
  "GET /api/support/tickets/:ticket/messages": { access: "ticket" },
  "GET /api/support/tickets/:ticket/live": { access: "ticket" },
  "POST /api/support/tickets/:ticket/presence": { access: "staff", body: { replying: false } },
  "DELETE /api/support/tickets/:ticket/presence": { access: "staff" },
  "GET /api/support/queue/version": { access: "staff" },
  "POST /api/support/tickets/:ticket/rating": { access: "requester", body: { rating: 5 } },
  "GET /api/support/tickets/:ticket/attachments/:attachment": { access: "ticket" },
  "GET /api/support/stats": { access: "staff" },
  "POST /api/support/tickets/bulk": { access: "staff", body: { ids: ["00000000-0000-0000-0000-000000000000"], status: "in_progress" } },
  "GET /api/support/macros": { access: "staff" },
  "POST /api/support/macros": { access: "admin", body: { name: "Door check", body: "Hello {{customer.name}}" } },
  "GET /api/support/macros/:macro": { access: "staff" },
  "PATCH /api/support/macros/:macro": { access: "admin", body: { body: "Updated" } },
  "DELETE /api/support/macros/:macro": { access: "admin" },
  "GET /api/analytics/me": { access: "user" },
  "GET /api/admin/stats": { access: "admin" },
  "GET /api/admin/peers/stats": { access: "admin" },
  "GET /api/admin/peers": { access: "admin" },
  "GET /api/admin/export/users.csv": { access: "admin" },
  "GET /api/admin/export/devices.csv": { access: "admin" },
  "GET /api/admin/export/incidents.csv": { access: "admin" },
  "GET /api/admin/users/:user/report": { access: "admin" },
  "PATCH /api/admin/servers/:server": { access: "admin", body: { mtu: 1420 } },
  "POST /api/admin/users/:user/status": { access: "admin", body: { status: "active" } },
  "POST /api/admin/users/:user/2fa/reset": { access: "admin" },
  "GET /api/admin/settings": { access: "admin" },
  "PATCH /api/admin/settings": { access: "admin", body: { requireStaffTwoFactor: false } },
  "POST /api/admin/users/:user/plan": { access: "admin", body: { planId: "basic" } },
  "GET /api/admin/plans": { access: "admin" },
  "POST /api/admin/plans": { access: "admin", body: { name: "Door check plan", deviceLimit: 3 } },
  "GET /api/admin/plans/:plan": { access: "admin" },
  "PATCH /api/admin/plans/:plan": { access: "admin", body: { priceCents: 499 } },
  "GET /api/admin/plan-requests": { access: "admin" },
  "POST /api/admin/plan-requests/:planRequest/approve": { access: "admin", body: {} },
  "POST /api/admin/plan-requests/:planRequest/reject": { access: "admin", body: { note: "Not now" } },
  "GET /api/admin/abuse": { access: "admin" },
  "GET /api/admin/abuse/stats": { access: "admin" },
  "GET /api/admin/abuse/:incident": { access: "admin" },
  "POST /api/admin/abuse/:incident/resolve": { access: "admin", body: { status: "resolved", note: "ok" } },
  "POST /api/admin/abuse/:incident/investigate": { access: "admin", body: {} },
  "POST /api/admin/abuse": { access: "staff", body: {} },
  "POST /api/admin/abuse/:incident/warn": { access: "admin", body: {} },
  "GET /api/admin/users/:user/abuse": { access: "admin" },
  "POST /api/admin/users/:user/throttle": { access: "admin", body: { rateKbit: 1000, hours: 1 } },
  "DELETE /api/admin/users/:user/throttle": { access: "admin" },
  "POST /api/admin/jobs/:job/run": { access: "admin" },
  "GET /api/admin/jobs/runs/:run": { access: "admin" },
  "GET /api/agent/config": { access: "agent" },
  "POST /api/agent/stats": { access: "agent" },
  "GET /api/metrics": { access: "public" },
  "POST /api/auth/password-reset": { access: "public" },
  "POST /api/auth/password-reset/confirm": { access: "public" },
  "POST /api/auth/verify-email": { access: "public" },
  "GET /api/auth/[...nextauth]": { access: "public" },
  "POST /api/auth/[...nextauth]": { access: "public" },
  "GET /api/inngest": { access: "public" },
  "POST /api/inngest": { access: "public" },
  "PUT /api/inngest": { access: "public" },
};

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routesOnDisk(): { key: string; file: string; method: string }[] {
  const out: { key: string; file: string; method: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const src = fs.readFileSync(p, "utf8");
        const route = "/" + path.relative("app", path.dirname(p)).split(path.sep).join("/");
        for (const m of METHODS) {
          if (new RegExp(`export (const|async function|function) ${m}\\b|export \\{[^}]*\\b${m}\\b`).test(src)) {
            out.push({ key: `${m} ${normalise(route)}`, file: p, method: m });
          }
        }
      }
    }
  };
  walk("app/api");
  return out;
}

/** `/api/vpn/peers/[id]/config` → `/api/vpn/peers/:peer/config` using the table's parameter names. */
function normalise(route: string): string {
  return route
    .replace(/\/vpn\/peers\/\[id\]/, "/vpn/peers/:peer")
    .replace(/\/me\/sessions\/\[id\]/, "/me/sessions/:session")
    .replace(/\/support\/tickets\/\[id\]/, "/support/tickets/:ticket")
    .replace(/\/attachments\/\[attachmentId\]/, "/attachments/:attachment")
    .replace(/\/admin\/users\/\[id\]/, "/admin/users/:user")
    .replace(/\/admin\/servers\/\[id\]/, "/admin/servers/:server")
    .replace(/\/admin\/abuse\/\[id\]/, "/admin/abuse/:incident")
    .replace(/\/support\/macros\/\[id\]/, "/support/macros/:macro")
    .replace(/\/admin\/plans\/\[id\]/, "/admin/plans/:plan")
    .replace(/\/admin\/plan-requests\/\[id\]/, "/admin/plan-requests/:planRequest")
    .replace(/\/jobs\/\[name\]/, "/jobs/:job")
    .replace(/\/runs\/\[runId\]/, "/runs/:run");
}

describe("authorization table", () => {
  const onDisk = routesOnDisk();

  it("lists every route on disk, and only those", () => {
    const missing = onDisk.map((r) => r.key).filter((k) => !ROUTES[k]);
    expect(missing, "routes missing from the authorization table").toEqual([]);
    const stale = Object.keys(ROUTES).filter((k) => !onDisk.some((r) => r.key === k));
    expect(stale, "table entries without a route").toEqual([]);
  });

  let ctx: Awaited<ReturnType<typeof fixtures>>;
  async function fixtures() {
    const server = await makeServer({ ipv4Pool: "10.77.0.0/24" });
    const otherServer = await makeServer({ ipv4Pool: "10.78.0.0/24" });
    const owner = await makeUser("user");
    const other = await makeUser("user");
    const agent = await makeUser("agent");
    const admin = await makeUser("admin");
    return { server, otherServer, owner, other, agent, admin };
  }
  beforeAll(async () => {
    resetEnv({ METRICS_TOKEN: "metrics-test-token-0123456789", DEFAULT_DEVICE_LIMIT: "1000" });
    ctx = await fixtures();
  });

  async function paramsFor(key: string) {
    const p: Record<string, string> = {};
    if (key.includes(":session")) p.id = await startSession(ctx.owner.id, { userAgent: "test", ip: null });
    if (key.includes(":peer")) p.id = (await createPeer(ctx.owner.actor, { serverId: ctx.server.id, deviceName: `d-${Math.random().toString(36).slice(2, 8)}`, deviceType: "ios" })).id;
    if (key.includes(":ticket")) p.id = (await createTicket(ctx.owner.actor, { subject: "Help", description: "It does not connect", category: "technical", priority: "medium" })).id;
    if (key.includes(":attachment")) p.attachmentId = "00000000-0000-0000-0000-000000000000";
    if (key.includes(":user")) p.id = ctx.other.id;
    if (key.includes(":server")) p.id = ctx.server.id;
    if (key.includes(":incident")) p.id = "00000000-0000-0000-0000-000000000000";
    if (key.includes(":macro")) p.id = (await createMacro(ctx.admin.actor, { name: `Macro ${Math.random().toString(36).slice(2, 8)}`, body: "Hi", setStatus: null, addTags: [] })).id;
    if (/:plan(\/|$)/.test(key)) p.id = "basic";
    if (key.includes(":planRequest")) p.id = (await requestPlanChange((await makeUser("user")).actor, "premium")).id;
    if (key.includes(":job")) p.name = "telemetry";
    if (key.includes(":run")) p.runId = "00000000-0000-0000-0000-000000000000";
    return p;
  }

  const allowed = (s: number) => ![401, 403, 404, 500].includes(s);

  for (const [key, spec] of Object.entries(ROUTES)) {
    if (spec.access === "public") continue;
    it(`${key} (${spec.access})`, async () => {
      const route = onDisk.find((r) => r.key === key)!;
      const mod = (await import(/* @vite-ignore */ path.resolve(route.file))) as Record<string, never>;
      const handler = mod[route.method] as Parameters<typeof call>[0];
      const [method, template] = key.split(" ") as [string, string];
      const hit = async (token: string | undefined) => {
        // A fresh resource per caller: a DELETE or revoke by one caller must not decide the next one's answer.
        const params = await paramsFor(key);
        const body = typeof spec.body === "function" ? spec.body(ctx) : spec.body;
        const res = await call(handler, { method, path: template, token, params, body, rawBody: body === undefined && method !== "GET" && method !== "DELETE" ? "" : undefined });
        expect(res.status, `${key} answered 500: ${res.text}`).not.toBe(500);
        return res;
      };
      const anon = await hit(undefined);
      expect(anon.status).toBe(401);
      expect(anon.json.error.code).toBe("unauthenticated");
      const agentToken = await hit(ctx.server.agentToken);
      if (spec.access === "agent") {
        expect(allowed(agentToken.status)).toBe(true);
        for (const who of [ctx.owner, ctx.admin]) expect((await hit(who.token)).status).toBe(401);
        return;
      }
      expect(agentToken.status).toBe(401);
      const as = async (who: { token: string }) => (await hit(who.token)).status;
      const [owner, other, agent, admin] = [await as(ctx.owner), await as(ctx.other), await as(ctx.agent), await as(ctx.admin)];
      const expected: Record<Exclude<Access, "agent" | "public">, (s: number[]) => void> = {
        user: ([o, x, a, d]) => [o, x, a, d].forEach((s) => expect(allowed(s), `status ${s}`).toBe(true)),
        owner: ([o, x, a, d]) => {
          expect(allowed(o), `owner got ${o}`).toBe(true);
          expect([x, a, d]).toEqual([404, 404, 404]);
        },
        ownerOrAdmin: ([o, x, a, d]) => {
          expect(allowed(o) && allowed(d), `owner ${o}, admin ${d}`).toBe(true);
          expect([x, a]).toEqual([404, 404]);
        },
        requester: ([o, x, a, d]) => {
          expect(allowed(o), `owner got ${o}`).toBe(true);
          expect(x).toBe(404);
          expect([403, 404]).toContain(a);
          expect([403, 404]).toContain(d);
        },
        ticket: ([o, x, a, d]) => {
          // a missing attachment is 404 for everyone who may look
          if (key.includes(":attachment")) return expect([o, x, a, d]).toEqual([404, 404, 404, 404]);
          expect(allowed(o), `owner got ${o}`).toBe(true);
          expect(x).toBe(404);
          expect([a, d].every((s) => allowed(s) || s === 409)).toBe(true);
        },
        staff: ([o, x, a, d]) => {
          expect([o, x]).toEqual([403, 403]);
          expect(allowed(a) && allowed(d)).toBe(true);
        },
        admin: ([o, x, a, d]) => {
          expect([o, x, a]).toEqual([403, 403, 403]);
          expect(allowed(d) || (d === 404 && /:(incident|run)/.test(key)), `admin got ${d}`).toBe(true);
        },
      };
      expected[spec.access as Exclude<Access, "agent" | "public">]([owner, other, agent, admin]);
    });
  }
});
