import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { declaredAction, isDeclaredAction, type ActionAuth } from "@/lib/actions/define-action";
import { signInAction } from "@/app/(auth)/sign-in/actions";
import { signUpAction } from "@/app/(auth)/sign-up/actions";
import { makeUser } from "../support/factories";

/** next/headers outside a request: a browser on the app's own page, and the cookie jar Auth.js's signIn writes to. */
const browser = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({
    get: (name: string) => (browser.cookies.has(name) ? { name, value: browser.cookies.get(name) } : undefined),
    getAll: () => [...browser.cookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => browser.cookies.has(name),
    set: (name: string, value: string) => void browser.cookies.set(name, value),
    delete: (name: string) => void browser.cookies.delete(name),
  }),
}));

/**
 * Every server action with who may call it, the counterpart of the route
 * table in authorization.test.ts. Every export of a "use server" module is
 * callable from any browser with a POST, so each must be declared through
 * defineAction/defineFormAction (origin check, auth, schema, error mapping)
 * and be listed here with its auth: an action added without review, or
 * whose auth changed, fails this test.
 *
 * auth:
 *   public        anyone, signed in or not (sign-in, sign-up, sign-out)
 *   user          any signed-in account, acting on its own data (the service scopes it)
 *   <permission>  holders of that permission of lib/auth/policy.ts
 */
const ACTIONS: Record<string, ActionAuth> = {
  "app/(app)/devices/actions.ts#createDeviceAction": "user",
  "app/(app)/devices/actions.ts#revokeDeviceAction": "user",
  "app/(app)/devices/actions.ts#deleteDeviceAction": "user",
  "app/(app)/devices/actions.ts#rotateDeviceAction": "user",
  "app/(app)/devices/actions.ts#shareDeviceAction": "user",
  "app/(app)/devices/actions.ts#setDeviceExpiryAction": "user",
  "app/(app)/devices/actions.ts#renewDeviceAction": "user",
  "app/(app)/devices/actions.ts#updateDeviceSettingsAction": "user",
  "app/(app)/devices/actions.ts#moveDeviceAction": "user",
  "app/(app)/plan/actions.ts#requestPlanChangeAction": "user",
  "app/(app)/plan/actions.ts#cancelPlanChangeAction": "user",
  "app/(app)/settings/_components/delete-account-action.ts#deleteAccountAction": "user",
  "app/(app)/settings/actions.ts#revokeSessionAction": "user",
  "app/(app)/settings/actions.ts#revokeOtherSessionsAction": "user",
  "app/(app)/settings/account-actions.ts#changePasswordAction": "user",
  "app/(app)/settings/account-actions.ts#disableTwoFactorAction": "user",
  "app/(app)/_components/actions.ts#resendVerificationAction": "user",
  "app/(app)/settings/tokens/actions.ts#createApiTokenAction": "user",
  "app/(app)/settings/tokens/actions.ts#revokeApiTokenAction": "user",
  "app/(app)/support/actions.ts#closeTicketAction": "user",
  "app/(app)/support/actions.ts#rateTicketAction": "user",
  "app/(auth)/sign-in/actions.ts#signInAction": "public",
  "app/(auth)/sign-up/actions.ts#signUpAction": "public",
  "app/(auth)/forgot-password/actions.ts#requestPasswordResetAction": "public",
  "app/(auth)/reset-password/[token]/actions.ts#resetPasswordAction": "public",
  "app/(auth)/verify-email/[token]/actions.ts#verifyEmailAction": "public",
  "components/nav/actions.ts#signOutAction": "public",
  "app/agent/tickets/actions.ts#assignToMeAction": "support.work",
  "app/agent/tickets/actions.ts#updateTicketAction": "support.work",
  "app/agent/tickets/actions.ts#setTicketTagsAction": "support.work",
  "app/agent/tickets/actions.ts#bulkUpdateTicketsAction": "support.work",
  "app/agent/macros/actions.ts#createMacroAction": "support.macros.manage",
  "app/agent/macros/actions.ts#updateMacroAction": "support.macros.manage",
  "app/agent/macros/actions.ts#deleteMacroAction": "support.macros.manage",
  "app/admin/_components/actions.ts#collectMetricsNowAction": "jobs.run",
  "app/admin/jobs/actions.ts#triggerJobAction": "jobs.run",
  "app/admin/peers/actions.ts#runRotationAction": "jobs.run",
  "app/admin/abuse/actions.ts#runAbuseScanAction": "jobs.run",
  "app/admin/abuse/actions.ts#investigateIncidentAction": "abuse.manage",
  "app/admin/abuse/actions.ts#resolveIncidentAction": "abuse.manage",
  "app/admin/abuse/actions.ts#suspendIncidentUserAction": "abuse.manage",
  "app/admin/abuse/actions.ts#restoreIncidentUserAction": "abuse.manage",
  "app/admin/abuse/actions.ts#warnIncidentAction": "abuse.manage",
  "app/admin/abuse/actions.ts#openIncidentAction": "abuse.manage",
  "app/admin/abuse/actions.ts#throttleUserAction": "abuse.manage",
  "app/admin/abuse/actions.ts#liftThrottleAction": "abuse.manage",
  "app/agent/tickets/_components/report-abuse-actions.ts#reportAbuseAction": "support.work",
  "app/admin/servers/actions.ts#createServerAction": "servers.manage",
  "app/admin/servers/actions.ts#updateServerAction": "servers.manage",
  "app/admin/servers/actions.ts#rotateAgentTokenAction": "servers.manage",
  "app/admin/servers/actions.ts#deleteServerAction": "servers.manage",
  "app/admin/users/actions.ts#changeUserRoleAction": "users.manage",
  "app/admin/users/actions.ts#changeUserStatusAction": "users.manage",
  "app/admin/users/[id]/two-factor-actions.ts#resetTwoFactorAction": "users.manage",
  "app/admin/security/actions.ts#setStaffTwoFactorAction": "users.manage",
  "app/admin/users/[id]/actions.ts#changeAccountStatusAction": "users.manage",
  "app/admin/users/[id]/actions.ts#changeUserPlanAction": "plans.manage",
  "app/admin/plans/actions.ts#createPlanAction": "plans.manage",
  "app/admin/plans/actions.ts#updatePlanAction": "plans.manage",
  "app/admin/plan-requests/actions.ts#decidePlanRequestAction": "plans.manage",
};

const ROOTS = ["app", "components", "lib"];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(e.name) && !/\.d\.ts$/.test(e.name)) out.push(p.split(path.sep).join("/"));
    }
  };
  for (const root of ROOTS) walk(root);
  return out.sort();
}

const isUseServer = (node: ts.Node) => ts.isExpressionStatement(node) && ts.isStringLiteral(node.expression) && node.expression.text === "use server";

/** A module whose first statement is "use server" (every export is an action), and any "use server" elsewhere (an inline action). */
function scan(file: string): { module: boolean; inline: number } {
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes("use server")) return { module: false, inline: 0 };
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const first = source.statements[0];
  let inline = 0;
  const visit = (node: ts.Node) => {
    if (node !== first && isUseServer(node)) inline++;
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { module: !!first && isUseServer(first), inline };
}

describe("server action table", () => {
  const scanned = sourceFiles().map((file) => ({ file, ...scan(file) }));
  const modules = scanned.filter((s) => s.module).map((s) => s.file);

  it("finds the action modules", () => {
    expect(modules.length).toBeGreaterThan(10);
  });

  it("has no inline actions: each lives in a \"use server\" module, where this table sees it", () => {
    expect(scanned.filter((s) => s.inline > 0).map((s) => s.file)).toEqual([]);
  });

  it("every export of every action module is declared through the wrapper, with the auth this table expects", async () => {
    const found: Record<string, ActionAuth | undefined> = {};
    const undeclared: string[] = [];
    for (const file of modules) {
      const mod = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        const key = `${file}#${name}`;
        if (!isDeclaredAction(value)) undeclared.push(key);
        found[key] = declaredAction(value)?.auth;
      }
    }
    expect(undeclared, "exports of a \"use server\" module not declared through defineAction/defineFormAction").toEqual([]);
    const missing = Object.keys(found).filter((k) => !(k in ACTIONS));
    expect(missing, "actions missing from the table").toEqual([]);
    const stale = Object.keys(ACTIONS).filter((k) => !(k in found));
    expect(stale, "table entries without an action").toEqual([]);
    const changed = Object.keys(ACTIONS).filter((k) => k in found && found[k] !== ACTIONS[k]).map((k) => `${k}: ${found[k]} (expected ${ACTIONS[k]})`);
    expect(changed, "actions whose auth differs from the table").toEqual([]);
  });
});

function form(fields: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

/** What the action threw: Next's redirect signal (its target), or anything else as is. */
async function outcome(p: Promise<unknown>): Promise<{ redirect: string } | { result: unknown }> {
  try {
    return { result: await p };
  } catch (err) {
    if (isRedirectError(err)) return { redirect: err.digest.split(";")[2]! };
    throw err;
  }
}

describe("sign-in and sign-up through the wrapper", () => {
  beforeEach(() => {
    browser.headers = new Headers({ host: "localhost:3000", origin: "http://localhost:3000", "x-forwarded-proto": "http", "user-agent": "vitest" });
    browser.cookies.clear();
  });

  it("a correct password: Auth.js sets the session cookie and its redirect reaches Next, not a form error", async () => {
    const u = await makeUser();
    const res = await outcome(signInAction(null, form({ email: u.email, password: u.password, callbackUrl: "/support" })));
    expect(res).toEqual({ redirect: "http://localhost:3000/support" });
    expect([...browser.cookies.keys()].some((k) => k.includes("session-token"))).toBe(true);
  });

  it("a wrong password is a form error that keeps the email, never the password", async () => {
    const u = await makeUser();
    const res = await outcome(signInAction(null, form({ email: u.email, password: "wrong password!" })));
    expect(res).toEqual({ result: { ok: false, formError: "Email or password is incorrect.", values: { email: u.email } } });
    expect(browser.cookies.size).toBe(0);
  });

  it("a form posted from another site is refused before any password is checked", async () => {
    const u = await makeUser();
    browser.headers.set("origin", "https://evil.example");
    const res = await outcome(signInAction(null, form({ email: u.email, password: u.password })));
    expect(res).toMatchObject({ result: { ok: false, formError: expect.stringContaining("another site") } });
    expect(browser.cookies.size).toBe(0);
  });

  it("sign-up creates the account and signs it in (redirect to /devices); a taken email is a field error", async () => {
    const email = `new-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const fields = { name: "New Person", email, password: "correct horse battery" };
    expect(await outcome(signUpAction(null, form(fields)))).toEqual({ redirect: "http://localhost:3000/devices" });
    browser.cookies.clear();
    const again = await outcome(signUpAction(null, form(fields)));
    expect(again).toMatchObject({ result: { ok: false, fieldErrors: { email: [expect.any(String)] }, values: { name: "New Person", email } } });
  });
});
