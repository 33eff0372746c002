import { test, expect } from "@playwright/test";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { answerOf, PGLITE_SHUT_DOWN, pgliteState, sleep, watch } from "../tests/support/spawned";

/**
 * SIGTERM to the production server itself (scripts/server.mjs) (its own signal handler and ours together)
 * while an agent's stats push is still being sent: the push finishes with its
 * answer and is in the database, no new connection is taken, and the
 * process exits 0 with the embedded database shut down cleanly. Its
 * own server and data directory, prepared with the operator CLI.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100) + 1;
const BASE = `http://127.0.0.1:${PORT}`;

test("SIGTERM lets the request in progress finish, then closes the database and exits 0", async () => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-e2e-shutdown-"));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "production" as const, LOG_LEVEL: "info" };
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ["--import", "tsx", "--import", "./scripts/shims.mjs", "scripts/cli.ts", ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .trim()
      .split("\n")
      .pop()!;
  const email = "ops@example.test";
  cli("user:create", "--email", email, "--password", "a long enough password", "--role", "admin");
  const token = cli("token:create", "--email", email);
  const agentToken = cli("server:create", "--name", "Shutdown 1", "--endpoint", "vpn.example.test:51820", "--ipv4", "10.77.0.0/24");

  const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(PORT), "-H", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const app = watch(child);
  try {
    await app.logged("server.started");
    const body = "(none)\t(none)\t51820\toff\n";
    const push = http.request(`${BASE}/api/agent/stats`, {
      method: "POST",
      agent: new http.Agent({ keepAlive: true }),
      headers: { authorization: `Bearer ${agentToken}`, "content-type": "text/plain", "content-length": Buffer.byteLength(body) },
    });
    const pushed = answerOf(push);
    pushed.catch(() => {}); // a failure is reported where it is awaited
    push.write(body.slice(0, 10));
    await sleep(500); // the request is with the server, its body half sent

    child.kill("SIGTERM");
    await app.logged("server.stopping");
    await sleep(1500);
    expect(app.hasExited()).toBe(false);
    push.end(body.slice(10));
    const answer = await pushed;
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ peers: 0, unknown: 0, replay: false });

    // The answer closes its connection, and the listener takes no new one.
    expect(answer.headers.connection).toBe("close");
    await expect(fetch(`${BASE}/api/me`, { headers: { authorization: `Bearer ${token}` } })).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });

    expect(await app.exited).toBe(0);
    expect(await app.logged("server.stopped")).toMatchObject({ signal: "SIGTERM", drained: true });
    const pgliteDir = path.join(dataDir, "pglite");
    expect(await pgliteState(pgliteDir)).toBe(PGLITE_SHUT_DOWN);
    const db = await PGlite.create({ dataDir: pgliteDir });
    try {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from vpn_servers s join agent_pushes p on p.server_id = s.id where s.name = 'Shutdown 1' and s.last_heartbeat_at is not null",
      );
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
