import { test, expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { watch, type Spawned } from "../tests/support/spawned";

/**
 * Whose word the production server (scripts/server.mjs) takes on a client's address. Its own server and
 * data directory per case (the lockouts they cause must not reach the other
 * specs); the tests reach it over loopback, so its TCP peer is 127.0.0.1. One
 * failure per account locks an account (SIGNIN_MAX_FAILURES=1), so an
 * address is locked after 20 failures (IP_FACTOR in lib/services/sign-in.ts)
 * across as many accounts.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 2;
const BASE = `http://127.0.0.1:${PORT}`;
const ADDRESS_LIMIT = 20;

interface App extends Spawned {
  child: ChildProcess;
  dataDir: string;
}

const apps: App[] = [];

async function startApp(trustedProxies: string): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-e2e-proxies-"));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: "",
    NODE_ENV: "production" as const,
    LOG_LEVEL: "info",
    SIGNIN_MAX_FAILURES: "1",
    TRUSTED_PROXIES: trustedProxies,
  };
  const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const app = { ...watch(child), child, dataDir };
  apps.push(app);
  await app.logged("server.started");
  return app;
}

/** Stops the app and answers the address of each sign-in attempt it recorded, in order. */
async function recordedAddresses(app: App): Promise<(string | null)[]> {
  app.child.kill("SIGTERM");
  expect(await app.exited).toBe(0);
  const db = await PGlite.create({ dataDir: path.join(app.dataDir, "pglite") });
  try {
    const { rows } = await db.query<{ ip: string | null }>("select ip from sign_in_attempts where email like 'nobody-%@example.test' order by created_at");
    return rows.map((r) => r.ip);
  } finally {
    await db.close();
  }
}

test.afterEach(() => {
  for (const app of apps.splice(0)) {
    if (!app.hasExited()) app.child.kill("SIGKILL");
    fs.rmSync(app.dataDir, { recursive: true, force: true });
  }
});

const randomAddress = () => `${randomInt(1, 224)}.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
let accounts = 0;
const newAccount = () => `nobody-${Date.now()}-${accounts++}@example.test`;

/** One credentials post to Auth.js, as a script would send it, with the given X-Forwarded-For. */
async function failSignIn(api: APIRequestContext, forwardedFor: string): Promise<number> {
  const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
  const res = await api.post("/api/auth/callback/credentials", {
    form: { email: newAccount(), password: "not the password", csrfToken, callbackUrl: "/devices" },
    headers: { "x-forwarded-for": forwardedFor, "x-real-ip": forwardedFor },
    maxRedirects: 0,
  });
  return res.status();
}

test("unset: a forged X-Forwarded-For is not believed; failures count against the TCP peer, which gets locked out", async ({ page }) => {
  test.setTimeout(180_000);
  const app = await startApp("");
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const forged: string[] = [];
  try {
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      forged.push(randomAddress());
      expect(await failSignIn(api, forged.at(-1)!), `attempt ${i + 1}`).toBe(302);
    }
    // A new account and yet another forged address: the real address is locked all the same.
    const locked = await api.post("/api/auth/callback/credentials", {
      form: { email: newAccount(), password: "not the password", csrfToken: (await (await api.get("/api/auth/csrf")).json()).csrfToken },
      headers: { "x-forwarded-for": randomAddress() },
      maxRedirects: 0,
    });
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()["retry-after"])).toBeGreaterThan(0);
  } finally {
    await api.dispose();
  }

  // The sign-in form (a server action) reads the same address.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": randomAddress(), "x-real-ip": randomAddress() });
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel("Email").fill(newAccount());
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(/Too many failed attempts/)).toBeVisible();

  const addresses = await recordedAddresses(app);
  expect(addresses).toEqual(Array(ADDRESS_LIMIT).fill("127.0.0.1"));
  for (const address of forged) expect(addresses).not.toContain(address);
});

test("proxies by address: the client is the first hop from the right outside them, whatever the client wrote on the left", async () => {
  test.setTimeout(180_000);
  // The test itself plays the proxy at 127.0.0.1, behind an inner one in 10.0.0.0/8.
  const app = await startApp("127.0.0.1/32, 10.0.0.0/8");
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  try {
    for (let i = 0; i < ADDRESS_LIMIT; i++) {
      expect(await failSignIn(api, `${randomAddress()}, 198.51.100.8, 10.1.2.3`), `attempt ${i + 1}`).toBe(302);
    }
    expect(await failSignIn(api, `${randomAddress()}, 198.51.100.8, 10.1.2.3`)).toBe(429);
    // Another client behind the same proxies is not locked out with it.
    expect(await failSignIn(api, "198.51.100.8, 198.51.100.9")).toBe(302);
  } finally {
    await api.dispose();
  }
  expect(await recordedAddresses(app)).toEqual([...Array(ADDRESS_LIMIT).fill("198.51.100.8"), "198.51.100.9"]);
});
