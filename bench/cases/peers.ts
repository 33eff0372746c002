import { NextRequest } from "next/server";
import { createServer as httpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPeer } from "@/lib/services/peers";
import { createApiToken } from "@/lib/dal/api-tokens";
import { agentConfig, clearServerConfigCache } from "@/lib/services/server-config";
import { getDb } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { sql } from "drizzle-orm";
import * as peersRoute from "@/app/api/vpn/peers/route";
import type { BenchCase, Result } from "../harness";
import { growth, median, medianMs, pool, timeIt } from "../harness";
import { benchServer, bulkPeers, bulkUsers } from "../fixtures";
import { halfOfBest, WG_EASY_REFERENCE } from "../reference";

const CONCURRENCY = 16;

/** Peer creation through the service, 16 at a time, each for its own account (so the device limit is not the bottleneck), all on one server. */
export const peerCreateServiceCase: BenchCase = {
  name: "peer creation (service)",
  async run(ctx) {
    const n = ctx.scale(2000, 100);
    const createOn = async (pool4: string, count: number) => {
      const server = await benchServer(pool4);
      const users = await bulkUsers(count);
      const ms = await timeIt(() => pool(users, CONCURRENCY, (u) => createPeer(u, { serverId: server.id, deviceName: "bench", deviceType: "linux" })));
      return count / (ms / 1000);
    };
    await createOn("10.207.0.0/16", 20); // warm-up: connections, prepared statements, JIT
    const small = Math.round(n / 10);
    const smallRate = await createOn("10.208.0.0/16", small);
    const rate = await createOn("10.201.0.0/16", n);
    return [
      {
        case: "peer creation through the service",
        db: ctx.db,
        value: rate,
        unit: "peers/s",
        target: "≥ 500/s on PostgreSQL",
        met: ctx.db === "postgres" ? rate >= 500 : undefined,
        note: `${n} creates, ${CONCURRENCY} at a time, one server`,
        growth: growth("peers/s", { n: small, value: smallRate }, { n, value: rate }),
      },
    ];
  },
};

/** Peer creation through POST /api/vpn/peers over real HTTP (node:http → the route handler, with token auth and validation). */
export const peerCreateHttpCase: BenchCase = {
  name: "peer creation (HTTP API)",
  async run(ctx) {
    const n = ctx.scale(1000, 50);
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
    const createOn = async (pool4: string, count: number) => {
      const server = await benchServer(pool4);
      const users = await bulkUsers(count);
      const tokens = await Promise.all(users.map(async (u) => (await createApiToken(u, "bench")).token));
      const ms = await timeIt(() =>
        pool(tokens, CONCURRENCY, async (token) => {
          const r = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ serverId: server.id, deviceName: "bench", deviceType: "ios" }) });
          if (r.status !== 201) failures++;
          await r.arrayBuffer();
        }),
      );
      return count / (ms / 1000);
    };
    await createOn("10.209.0.0/16", 20); // warm-up
    failures = 0;
    const small = Math.round(n / 10);
    const smallRate = await createOn("10.210.0.0/16", small);
    const rate = await createOn("10.202.0.0/16", n);
    srv.close();
    return [
      {
        case: "peer creation through the HTTP API",
        db: ctx.db,
        value: rate,
        unit: "peers/s",
        target: "≥ 200/s on PostgreSQL",
        met: ctx.db === "postgres" ? rate >= 200 && failures === 0 : undefined,
        note: failures ? `${failures} failed` : "route handler over node:http, personal token auth",
        growth: growth("peers/s", { n: small, value: smallRate }, { n, value: rate }),
      },
    ];
  },
};

/**
 * The agent's config for a server with 10,000 peers: cold (the config
 * version bumped, as any change does: rebuilt from the database), an ETag
 * hit (304 without rebuilding), and the first build in a process (nothing
 * cached yet: every preshared key unsealed).
 */
export const serverConfigCase: BenchCase = {
  name: "server config",
  async run(ctx) {
    const n = ctx.scale(10_000, 500);
    const db = await getDb();
    const measure = async (pool4: string, count: number) => {
      const server = await benchServer(pool4);
      await bulkPeers(server.id, count);
      const bump = () => db.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(sql`${vpnServers.id} = ${server.id}`);
      const first: number[] = [];
      for (let i = 0; i < 3; i++) {
        clearServerConfigCache();
        await bump();
        first.push(await timeIt(() => agentConfig(server.id, null)));
      }
      const colds: number[] = [];
      for (let i = 0; i < 5; i++) {
        await bump();
        colds.push(await timeIt(() => agentConfig(server.id, null)));
      }
      const current = await agentConfig(server.id, null);
      const hit = await medianMs(20, () => agentConfig(server.id, current.etag));
      return { cold: median(colds), hit, first: median(first) };
    };
    const small = Math.round(n / 10);
    const s = await measure("10.211.0.0/16", small);
    const l = await measure("10.203.0.0/16", n);
    const results: Result[] = [
      { case: `server config, ${n} peers, cold`, db: ctx.db, value: l.cold, unit: "ms", target: "< 50 ms", met: l.cold < 50, note: "config version bumped: rebuilt from the database", growth: growth("ms", { n: small, value: s.cold }, { n, value: l.cold }) },
      { case: `server config, ${n} peers, ETag hit`, db: ctx.db, value: l.hit, unit: "ms", target: "< 5 ms", met: l.hit < 5, growth: growth("ms", { n: small, value: s.hit }, { n, value: l.hit }, true) },
      { case: `server config, ${n} peers, first build in a process`, db: ctx.db, value: l.first, unit: "ms", note: "empty section cache: every preshared key unsealed", growth: growth("ms", { n: small, value: s.first }, { n, value: l.first }) },
    ];
    return results;
  },
};

/** wg-easy v15 on this 2-core machine, measured side by side on 2026-12-06 (medians of 20 at 10–1000 peers). */

/**
 * Downloading a device's config and its QR code (PNG) through the route
 * handlers over real HTTP with a personal token, on a server that already has
 * 1000 peers: median of 20 each. The target is half of wg-easy's best time.
 */
export const configDownloadCase: BenchCase = {
  name: "config and QR download",
  async run(ctx) {
    const existing = ctx.scale(1000, 100);
    const configRoute = await import("@/app/api/vpn/peers/[id]/config/route");
    const qrRoute = await import("@/app/api/vpn/peers/[id]/qr/route");
    const server = await benchServer("10.211.0.0/16");
    await bulkPeers(server.id, existing);
    const [owner] = await bulkUsers(1);
    const peer = await createPeer(owner!, { serverId: server.id, deviceName: "bench phone", deviceType: "ios" });
    const token = (await createApiToken(owner!, "bench")).token;
    const srv = httpServer(async (req, res) => {
      const url = new URL(req.url!, "http://127.0.0.1");
      const handler = url.pathname.endsWith("/qr") ? qrRoute.GET : configRoute.GET;
      const r = await handler(new NextRequest(url, { headers: req.headers as Record<string, string> }), { params: Promise.resolve({ id: peer.id }) });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/octet-stream" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/vpn/peers/${peer.id}`;
    let failures = 0;
    const get = (path: string) => async () => {
      const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (r.status !== 200) failures++;
      await r.arrayBuffer();
    };
    const config = await medianMs(20, get("/config"));
    const qr = await medianMs(20, get("/qr"));
    srv.close();
    return [
      {
        case: `config download, ${existing} peers on the server`,
        db: ctx.db,
        value: config,
        unit: "ms",
        target: `≤ ${halfOfBest(WG_EASY_REFERENCE.configMs)} ms (half of wg-easy's ${WG_EASY_REFERENCE.configMs.join("–")} ms)`,
        met: config <= halfOfBest(WG_EASY_REFERENCE.configMs) && failures === 0,
        note: failures ? `${failures} failed` : "median of 20; route handler over node:http, personal token",
      },
      {
        case: `QR code (PNG), ${existing} peers on the server`,
        db: ctx.db,
        value: qr,
        unit: "ms",
        target: `≤ ${halfOfBest(WG_EASY_REFERENCE.qrMs)} ms (half of wg-easy's ${WG_EASY_REFERENCE.qrMs.join("–")} ms)`,
        met: qr <= halfOfBest(WG_EASY_REFERENCE.qrMs) && failures === 0,
        note: "median of 20; 10-px modules, 8-bit grayscale",
      },
    ];
  },
};
