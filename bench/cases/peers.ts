import { NextRequest } from "next/server";
import { createServer as httpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPeer } from "@/lib/services/peers";
import { createApiToken } from "@/lib/dal/api-tokens";
import { agentConfig } from "@/lib/services/server-config";
import { getDb } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { sql } from "drizzle-orm";
import * as peersRoute from "@/app/api/vpn/peers/route";
import type { BenchCase, Result } from "../harness";
import { medianMs, pool, timeIt } from "../harness";
import { benchServer, bulkPeers, bulkUsers } from "../fixtures";

/** Peer creation through the service, 16 at a time, each for its own account (so the device limit is not the bottleneck). */
export const peerCreateServiceCase: BenchCase = {
  name: "peer creation (service)",
  async run(ctx) {
    const n = ctx.scale(2000, 100);
    const server = await benchServer("10.201.0.0/16");
    const users = await bulkUsers(n);
    const ms = await timeIt(() => pool(users, 16, (u) => createPeer(u, { serverId: server.id, deviceName: "bench", deviceType: "linux" })));
    const rate = n / (ms / 1000);
    return [{ case: "peer creation through the service", db: ctx.db, value: rate, unit: "peers/s", target: "≥ 500/s on PostgreSQL", met: ctx.db === "postgres" ? rate >= 500 : undefined }];
  },
};

/** Peer creation through POST /api/vpn/peers over real HTTP (node:http → the route handler, with token auth and validation). */
export const peerCreateHttpCase: BenchCase = {
  name: "peer creation (HTTP API)",
  async run(ctx) {
    const n = ctx.scale(1000, 50);
    const server = await benchServer("10.202.0.0/16");
    const users = await bulkUsers(n);
    const tokens = await Promise.all(users.map(async (u) => (await createApiToken(u, "bench")).token));
    const srv = httpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const r = await peersRoute.POST(
        new NextRequest(new URL(req.url!, "http://127.0.0.1"), { method: "POST", headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }),
        { params: Promise.resolve({}) },
      );
      res.writeHead(r.status, { "content-type": "application/json" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/vpn/peers`;
    let failures = 0;
    const ms = await timeIt(() =>
      pool(tokens, 16, async (token) => {
        const r = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ serverId: server.id, deviceName: "bench", deviceType: "ios" }) });
        if (r.status !== 201) failures++;
        await r.arrayBuffer();
      }),
    );
    srv.close();
    const rate = n / (ms / 1000);
    return [{ case: "peer creation through the HTTP API", db: ctx.db, value: rate, unit: "peers/s", target: "≥ 200/s on PostgreSQL", met: ctx.db === "postgres" ? rate >= 200 && failures === 0 : undefined, note: failures ? `${failures} failed` : "route handler over node:http, personal token auth" }];
  },
};

/** The agent's config for a server with 10,000 peers: cold (rebuilt) and an ETag hit (304 without rebuilding). */
export const serverConfigCase: BenchCase = {
  name: "server config",
  async run(ctx) {
    const n = ctx.scale(10_000, 500);
    const server = await benchServer("10.203.0.0/16");
    await bulkPeers(server.id, n);
    const db = await getDb();
    const bump = () => db.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(sql`${vpnServers.id} = ${server.id}`);
    const colds: number[] = [];
    for (let i = 0; i < 5; i++) {
      await bump();
      colds.push(await timeIt(() => agentConfig(server.id, null)));
    }
    const first = await agentConfig(server.id, null);
    const hit = await medianMs(20, () => agentConfig(server.id, first.etag));
    const coldMedian = colds.sort((a, b) => a - b)[2]!;
    const results: Result[] = [
      { case: `server config, ${n} peers, cold`, db: ctx.db, value: coldMedian, unit: "ms", target: "< 50 ms", met: coldMedian < 50 },
      { case: `server config, ${n} peers, ETag hit`, db: ctx.db, value: hit, unit: "ms", target: "< 5 ms", met: hit < 5 },
    ];
    return results;
  },
};
