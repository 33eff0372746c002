import { test, expect } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { watch, type Spawned } from "../tests/support/spawned";
import { throwawayDatabase, type ThrowawayDatabase } from "./support/postgres";

/**
 * Pages while PostgreSQL is away. The production server reaches its database through
 * a TCP relay this test owns, so the database can vanish for this one app
 * (the relay stops accepting and cuts every open connection) and come back,
 * without touching the server other suites use. The API already answered
 * 503 `unavailable`; a page now says the service is temporarily unavailable
 * with 503 too, and serves again by itself once the database is back.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 3;
const BASE = `http://127.0.0.1:${PORT}`;

/** A relay to PostgreSQL that can be cut and restored on the same port. */
class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let db: ThrowawayDatabase | null = null;
let relay: Relay;
let app: (Spawned & { child: ChildProcess }) | null = null;

test.beforeAll(async () => {
  db = await throwawayDatabase("sw_e2e_unavailable");
  if (!db) return;
  relay = new Relay({ host: db.url.hostname, port: Number(db.url.port || 5432) });
  await relay.open();
  const url = new URL(db.url);
  url.port = String(relay.port);
  url.hostname = "127.0.0.1";
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    NODE_ENV: "production" as const,
    LOG_LEVEL: "info",
    // With PostgreSQL the secrets come from the environment (the embedded default keeps its own).
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  app = { ...watch(child), child };
  await app.logged("server.started");
});

test.afterAll(async () => {
  if (app && !app.hasExited()) {
    app.child.kill("SIGKILL");
    await app.exited;
  }
  await relay?.cut();
  await db?.drop();
});

const page = (path: string) => fetch(`${BASE}${path}`, { headers: { accept: "text/html", "sec-fetch-dest": "document" }, redirect: "manual" });

test("a page says the service is temporarily unavailable with 503 while the database is away, and serves again once it is back", async () => {
  test.skip(db === null, "no PostgreSQL server reachable");
  test.setTimeout(120_000);
  expect((await page("/sign-in")).status).toBe(200);

  await relay.cut();
  for (const path of ["/sign-in", "/devices", "/admin"]) {
    const res = await page(path);
    expect(res.status, path).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("SecureWave is temporarily unavailable");
    expect(html).toContain('http-equiv="refresh"');
    // Nothing of the failure itself reaches the page.
    expect(html).not.toMatch(/ECONNREFUSED|postgres|stack|at \w+ \(/i);
  }
  // The API keeps its own contract.
  const api = await fetch(`${BASE}/api/vpn/servers`);
  expect([401, 503]).toContain(api.status);

  // Back on the same address: the next request is served, with no restart.
  await relay.open();
  await expect.poll(async () => (await page("/sign-in")).status, { timeout: 30_000 }).toBe(200);
  expect(app!.hasExited()).toBe(false);
});
