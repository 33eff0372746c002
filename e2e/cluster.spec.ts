import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { test, expect } from "@playwright/test";
import { watch, type Spawned } from "../tests/support/spawned";
import { throwawayDatabase, type ThrowawayDatabase } from "./support/postgres";

/**
 * `npm start` on PostgreSQL as several server processes sharing one port
 * (scripts/cluster.mjs, WEB_CONCURRENCY): a scrape through any worker counts
 * every worker's requests, a worker that dies is replaced, SIGTERM stops
 * them all and exits as one server does, and a worker that cannot start (a
 * wrong ENCRYPTION_KEY) stops the whole server with its code.
 */
const PORT = 3196;
const TOKEN = randomBytes(24).toString("hex");

/** One GET on a connection of its own: Node's cluster hands each new connection to the next worker in turn. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port: PORT, path, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test.describe.serial("npm start with several workers", () => {
  let db: ThrowawayDatabase | null = null;
  let env: Record<string, string | undefined> = {};

  test.beforeAll(async () => {
    db = await throwawayDatabase("sw_e2e_cluster");
    if (!db) return;
    env = {
      ...process.env,
      DATABASE_URL: db.url.toString(),
      AUTH_SECRET: randomBytes(33).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      METRICS_TOKEN: TOKEN,
      WEB_CONCURRENCY: "2",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
    };
  });

  test.afterAll(async () => {
    await db?.drop();
  });

  const start = (extra: Record<string, string> = {}): Spawned & { pid: number } => {
    const child = spawn("sh", ["scripts/start.sh", "-p", String(PORT), "-H", "127.0.0.1"], { env: { ...env, ...extra } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    return { ...watch(child), pid: child.pid! };
  };

  test("a scrape through any worker counts all of them; a dead worker is replaced; SIGTERM stops them all", async () => {
    test.skip(db === null, "no PostgreSQL server reachable");
    test.setTimeout(180_000);
    const app = start();
    try {
      const started = await app.logged("cluster.started");
      expect(started.workers).toBe(2);
      const pids = started.pids as number[];
      expect(pids).toHaveLength(2);
      await app.loggedTimes("server.started", 2);

      const requests = 12;
      for (let i = 0; i < requests; i++) expect((await get("/api/vpn/peers")).status).toBe(401);
      // Each scrape on a connection of its own, so they land on both workers in turn: every one counts all twelve.
      const counted: number[] = [];
      for (let i = 0; i < 4; i++) {
        const scrape = await get("/api/metrics", { authorization: `Bearer ${TOKEN}` });
        expect(scrape.status).toBe(200);
        const line = scrape.text.match(/^securewave_http_request_duration_seconds_count\{method="GET",route="\/api\/vpn\/peers",status="401"\} (\d+)$/m);
        counted.push(Number(line?.[1]));
        // The database gauges are the scraping worker's own, counted once.
        expect(scrape.text.match(/^securewave_peers_in_config /gm)).toHaveLength(1);
      }
      expect(counted).toEqual([requests, requests, requests, requests]);

      // A worker that dies after starting is replaced; the server answers throughout.
      process.kill(pids[0]!, "SIGKILL");
      const exited = await app.logged("cluster.worker_exited");
      expect(exited).toMatchObject({ pid: pids[0], signal: "SIGKILL", ready: true });
      await app.loggedTimes("server.started", 3);
      for (let i = 0; i < 4; i++) expect((await get("/api/vpn/peers")).status).toBe(401);

      process.kill(app.pid, "SIGTERM");
      expect(await app.exited).toBe(143);
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      if (!app.hasExited()) process.kill(app.pid, "SIGKILL");
    }
  });

  test("a worker that cannot start stops the server with its code, naming the cause", async () => {
    test.skip(db === null, "no PostgreSQL server reachable");
    test.setTimeout(120_000);
    // The database knows the first key's check value now; another key must not serve it.
    const app = start({ ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    const failed = await app.logged("server.key_check_failed");
    expect(String(failed.reason)).toContain("ENCRYPTION_KEY");
    expect(await app.exited).toBe(1);
    await expect(app.logged("cluster.started")).rejects.toThrow(/without logging cluster.started/);
  });
});
