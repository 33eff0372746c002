import { openDatabase, setDbHandle, closeDb } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { createAccount } from "@/lib/services/accounts";
import { createApiToken } from "@/lib/dal/api-tokens";
import { createPeer } from "@/lib/services/peers";
import { createServer } from "@/lib/services/servers";
import { appEnv, numArg, Recorder, signIn, startApp, throwawayDatabase } from "./shared";

/**
 * `npm run bench:load [-- --seconds 20 --users 40 --agents 4]`: many users
 * (sign-in, device page, config download, ticket list) and agents (stats
 * pushes every second) against `next start` on PostgreSQL, on loopback, for a
 * bounded time. Prints latency percentiles per request kind; exits 1 on any
 * error. Needs `npm run build` first.
 */
const SECONDS = numArg("seconds", 20);
const USERS = numArg("users", 40);
const AGENTS = numArg("agents", 4);
const PORT = numArg("port", 3300);
const PASSWORD = "load-test-password";

const env = appEnv();
const rec = new Recorder();

function dump(keys: string[], tick: number): string {
  const now = Math.floor(Date.now() / 1000);
  return ["(none)\t(none)\t51820\toff", ...keys.map((k, i) => `${k}\t(none)\t198.51.100.${i % 250}:5${i % 9999}\t10.0.0.1/32\t${now}\t${tick * 1000 + i}\t${tick * 4000 + i}\toff`)].join("\n") + "\n";
}

async function main() {
  const db = await throwawayDatabase("sw_load");
  resetEnv({ ...env, DATABASE_URL: db.url });
  setDbHandle(await openDatabase({ url: db.url }));
  console.error(`[load] preparing ${USERS} users and ${AGENTS} servers on ${db.name}`);
  const servers: Awaited<ReturnType<typeof createServer>>[] = [];
  for (let i = 0; i < AGENTS; i++) servers.push(await createServer({ kind: "system", job: "load" }, { name: `load-${i}`, region: "load", endpointHost: "load.vpn.test", endpointPort: 51820, ipv4Pool: `10.${150 + i}.0.0/16`, ipv6Pool: `fd${50 + i}::/64`, dns: "1.1.1.1", mtu: null }));
  const users: { email: string; token: string; peerId: string; publicKey: string; server: number }[] = [];
  for (let i = 0; i < USERS; i++) {
    const u = await createAccount({ email: `load${i}@load.test`, password: PASSWORD }, null);
    const actor = { kind: "user" as const, id: u.id, email: u.email, role: u.role, status: u.status };
    const peer = await createPeer(actor, { serverId: servers[i % AGENTS]!.server.id, deviceName: "phone", deviceType: "ios" });
    users.push({ email: u.email, token: (await createApiToken(actor, "load")).token, peerId: peer.id, publicKey: peer.publicKey, server: i % AGENTS });
  }
  await closeDb();

  try {
    const app = await startApp(PORT, env, db.url);
    const BASE = app.base;
    try {
      const end = Date.now() + SECONDS * 1000;
      const userLoop = async (u: (typeof users)[number]) => {
        await rec.timed("sign-in", async () => new Response(await signIn(BASE, u.email, PASSWORD)));
        const cookie = await signIn(BASE, u.email, PASSWORD);
        while (Date.now() < end) {
          await rec.timed("GET /devices (page)", () => fetch(`${BASE}/devices`, { headers: { cookie } }));
          await rec.timed("GET /api/vpn/peers/:id/config", () => fetch(`${BASE}/api/vpn/peers/${u.peerId}/config`, { headers: { authorization: `Bearer ${u.token}` } }));
          await rec.timed("GET /api/support/tickets", () => fetch(`${BASE}/api/support/tickets`, { headers: { authorization: `Bearer ${u.token}` } }));
          await rec.timed("GET /api/vpn/peers", () => fetch(`${BASE}/api/vpn/peers`, { headers: { authorization: `Bearer ${u.token}` } }));
        }
      };
      const agentLoop = async (s: number) => {
        const keys = users.filter((u) => u.server === s).map((u) => u.publicKey);
        let etag = "";
        for (let tick = 1; Date.now() < end; tick++) {
          await rec.timed("GET /api/agent/config", async () => {
            const r = await fetch(`${BASE}/api/agent/config`, { headers: { authorization: `Bearer ${servers[s]!.agentToken}`, ...(etag ? { "if-none-match": etag } : {}) } });
            etag = r.headers.get("etag") ?? etag;
            return r;
          });
          await rec.timed("POST /api/agent/stats", () => fetch(`${BASE}/api/agent/stats`, { method: "POST", headers: { authorization: `Bearer ${servers[s]!.agentToken}`, "content-type": "text/plain" }, body: dump(keys, tick) }));
          await new Promise((r) => setTimeout(r, 1000));
        }
      };
      await Promise.all([...users.map(userLoop), ...servers.map((_, i) => agentLoop(i))]);
    } finally {
      await app.stop();
    }
  } finally {
    await db.drop();
  }
  console.log(rec.table("request"));
  console.log(`\n${USERS} users and ${AGENTS} agents for ${SECONDS} s on loopback: ${rec.errors} error(s)`);
  if (rec.errors) {
    console.error(rec.errorSamples.join("\n"));
    process.exit(1);
  }
}

main().then(() => process.exit(0), (err) => (console.error(err), process.exit(1)));
