import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { unseal } from "@/lib/crypto/seal";
import { createPeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { rollupDailyUsage } from "@/lib/services/analytics/rollup-daily";
import { rollupUserStats } from "@/lib/services/analytics/rollup-users";
import { snapshotSystemMetrics } from "@/lib/services/analytics/system-snapshot";
import * as me from "@/app/api/me/route";
import * as servers from "@/app/api/vpn/servers/route";
import * as peers from "@/app/api/vpn/peers/route";
import * as peer from "@/app/api/vpn/peers/[id]/route";
import * as rotate from "@/app/api/vpn/peers/[id]/rotate/route";
import * as revoke from "@/app/api/vpn/peers/[id]/revoke/route";
import * as adminStats from "@/app/api/admin/stats/route";
import * as peerStats from "@/app/api/admin/peers/stats/route";
import * as report from "@/app/api/admin/users/[id]/report/route";
import * as adminPeers from "@/app/api/admin/peers/route";
import * as usersCsv from "@/app/api/admin/export/users.csv/route";
import * as devicesCsv from "@/app/api/admin/export/devices.csv/route";
import * as analytics from "@/app/api/analytics/me/route";
import * as agentStats from "@/app/api/agent/stats/route";
import { call } from "../support/api";
import { makeDump } from "../support/dump";
import { makeServer, makeUser } from "../support/factories";

/**
 * No private or preshared key, password hash, token or master key in any log
 * line, error, API answer (other than the owner's own config), analytics
 * table or email: run the app's flows with every log line captured, then look
 * for every secret the database holds.
 */
describe("secrets stay secret", () => {
  it("appear in no log line, API answer, analytics row, audit entry or email", async () => {
    const captured: string[] = [];
    const orig = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (captured.push(String(chunk)), orig.out(chunk, ...(rest as []))) ) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => (captured.push(String(chunk)), orig.err(chunk, ...(rest as []))) ) as typeof process.stderr.write;
    const prevLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "debug";
    const { resetEnv } = await import("@/lib/env");
    resetEnv();
    try {
      const server = await makeServer();
      const alice = await makeUser();
      const admin = await makeUser("admin");
      const answers: string[] = [];
      const keep = async (p: Promise<{ text: string }>) => answers.push((await p).text);

      const created = await call(peers.POST, { token: alice.token, body: { serverId: server.id, deviceName: "phone", deviceType: "ios" } });
      answers.push(created.text);
      const id = created.json.id as string;
      const p2 = await createPeer(alice.actor, { serverId: server.id, deviceName: "laptop", deviceType: "linux" });
      await rotatePeer(alice.actor, p2.id);
      const now = new Date();
      await call(agentStats.POST, { token: server.agentToken, rawBody: makeDump([{ publicKey: created.json.publicKey, handshake: now, rx: 10, tx: 20 }], { privateKey: "YNqHbfBQKaGvzefSSm5B0bC7vfjyQXEXhUnrqXWSB14=" }), headers: { "content-type": "text/plain" } });
      await call(agentStats.POST, { token: server.agentToken, rawBody: "garbage\n" });
      await rollupDailyUsage(now.toISOString().slice(0, 10), new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10));
      await rollupUserStats();
      await snapshotSystemMetrics();
      await keep(call(me.GET, { token: alice.token }));
      await keep(call(servers.GET, { token: alice.token }));
      await keep(call(peers.GET, { token: alice.token }));
      await keep(call(peer.GET, { token: alice.token, params: { id } }));
      await keep(call(rotate.POST, { token: alice.token, params: { id }, body: {} }));
      await keep(call(analytics.GET, { token: alice.token }));
      await keep(call(adminStats.GET, { token: admin.token }));
      await keep(call(peerStats.GET, { token: admin.token }));
      await keep(call(report.GET, { token: admin.token, params: { id: alice.id } }));
      await keep(call(adminPeers.GET, { token: admin.token, path: "/api/admin/peers" }));
      await keep(call(usersCsv.GET, { token: admin.token, path: "/api/admin/export/users.csv" }));
      await keep(call(devicesCsv.GET, { token: admin.token, path: "/api/admin/export/devices.csv" }));
      await keep(call(peers.POST, { token: alice.token, body: { serverId: server.id, deviceName: "x", deviceType: "ios", publicKey: "not-a-key" } }));
      await keep(call(revoke.POST, { token: alice.token, params: { id } }));

      const db = await getDb();
      const secrets = new Set<string>();
      for (const r of await rows<{ v: string | null }>(db, sql`
          select private_key_sealed as v from vpn_servers union all select private_key_sealed from wireguard_peers
          union all select preshared_key_sealed from wireguard_peers union all select preshared_key_sealed from peer_previous_keys`)) {
        if (r.v) secrets.add(unseal(r.v)).add(r.v);
      }
      for (const r of await rows<{ v: string }>(db, sql`select password_hash as v from users where password_hash is not null union all select token_hash from api_tokens union all select agent_token_hash from vpn_servers where agent_token_hash is not null`)) secrets.add(r.v);
      for (const t of [alice.token, admin.token, server.agentToken, getRuntimeSecrets().encryptionKey, getRuntimeSecrets().authSecret, "YNqHbfBQKaGvzefSSm5B0bC7vfjyQXEXhUnrqXWSB14="]) secrets.add(t);
      expect(secrets.size).toBeGreaterThan(10);

      const stored = await rows<{ t: string }>(db, sql`
          select row_to_json(x)::text as t from audit_log x union all select row_to_json(x)::text from email_outbox x
          union all select row_to_json(x)::text from user_usage_stats x union all select row_to_json(x)::text from daily_usage_metrics x
          union all select row_to_json(x)::text from system_metrics x union all select row_to_json(x)::text from traffic_samples x
          union all select row_to_json(x)::text from connection_sessions x union all select row_to_json(x)::text from job_runs x
          union all select row_to_json(x)::text from sign_in_attempts x`);
      const haystacks = { logs: captured.join(""), answers: answers.join("\n"), tables: stored.map((r) => r.t).join("\n") };
      expect(haystacks.logs.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        for (const [where, text] of Object.entries(haystacks)) expect(text.includes(secret), `a secret appears in ${where}`).toBe(false);
      }
    } finally {
      process.stdout.write = orig.out;
      process.stderr.write = orig.err;
      process.env.LOG_LEVEL = prevLevel;
    }
  });
});
