import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { ingestDump } from "@/lib/services/telemetry";
import { parseWgDump } from "@/lib/wireguard/dump";
import type { BenchCase } from "../harness";
import { growth, median, timeIt } from "../harness";
import { benchServer, bulkPeers } from "../fixtures";

/** A `wg show dump` of these keys; `minute` advances the counters. */
export function dumpFor(keys: string[], minute: number): string {
  const now = Math.floor(Date.now() / 1000);
  const lines = keys.map((k, i) => `${k}\t(none)\t203.0.113.${i % 250}:${40000 + (i % 20000)}\t10.0.0.1/32\t${now - (i % 100)}\t${(minute + 1) * (1000 + i)}\t${(minute + 1) * (5000 + i)}\toff`);
  return ["(none)\t(none)\t51820\toff", ...lines].join("\n") + "\n";
}

/** The seed's design, kept as the baseline: one round trip per peer line. */
async function ingestRowByRow(serverId: string, body: string) {
  const parsed = parseWgDump(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const p of parsed.peers) {
      const [peer] = await rows<{ id: string; user_id: string }>(tx, sql`select id, user_id from wireguard_peers where public_key = ${p.publicKey} and server_id = ${serverId}`);
      if (!peer) continue;
      const [c] = await rows<{ rx: number; tx: number }>(tx, sql`select rx, tx from peer_counters where public_key = ${p.publicKey}`);
      const up = !c || p.rx < Number(c.rx) ? p.rx : p.rx - Number(c.rx);
      const down = !c || p.tx < Number(c.tx) ? p.tx : p.tx - Number(c.tx);
      await tx.execute(sql`insert into peer_counters (public_key, server_id, rx, tx) values (${p.publicKey}, ${serverId}, ${p.rx}, ${p.tx})
        on conflict (public_key) do update set rx = excluded.rx, tx = excluded.tx`);
      await tx.execute(sql`update peer_live_stats set bytes_sent = bytes_sent + ${up}, bytes_received = bytes_received + ${down} where peer_id = ${peer.id}`);
      if (up || down) await tx.execute(sql`insert into traffic_samples (peer_id, user_id, server_id, sampled_at, bytes_up, bytes_down, client_ip) values (${peer.id}, ${peer.user_id}, ${serverId}, now(), ${up}, ${down}, ${p.endpointIp})`);
    }
  });
}

/**
 * The agent's push for a server with 10,000 peers, every one of them active
 * (new counters, a recent handshake): three pushes a minute apart, the
 * median reported (the first one also opens every session).
 */
export const ingestCase: BenchCase = {
  name: "dump ingest",
  async run(ctx) {
    const n = ctx.scale(10_000, 500);
    const ingestOn = async (pool4: string, count: number) => {
      const server = await benchServer(pool4);
      const { peers } = await bulkPeers(server.id, count);
      const keys = peers.map((p) => p.publicKey);
      const times: number[] = [];
      for (let m = 0; m < 3; m++) times.push(await timeIt(() => ingestDump(server.id, dumpFor(keys, m), new Date(Date.now() + m * 60_000))));
      return { median: median(times), times };
    };
    const small = Math.round(n / 10);
    const s = await ingestOn("10.217.0.0/16", small);
    const l = await ingestOn("10.204.0.0/16", n);
    const other = await benchServer("10.205.0.0/16");
    const { peers: peers2 } = await bulkPeers(other.id, n);
    const keys2 = peers2.map((p) => p.publicKey);
    const baseline: number[] = [];
    for (let m = 0; m < (ctx.quick ? 2 : 1); m++) baseline.push(await timeIt(() => ingestRowByRow(other.id, dumpFor(keys2, m))));
    const ms = l.median;
    const base = median(baseline);
    return [
      {
        case: `ingest a ${n}-peer dump`,
        db: ctx.db,
        value: ms,
        unit: "ms",
        baseline: { label: "row by row", value: base },
        target: "< 500 ms, ≥ 10x the row-by-row baseline",
        met: ms < 500 && base / ms >= 10,
        note: `pushes: ${l.times.map((t) => t.toFixed(0)).join(", ")} ms`,
        growth: growth("ms", { n: small, value: s.median }, { n, value: ms }),
      },
    ];
  },
};
