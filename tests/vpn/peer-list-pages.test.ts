import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import * as peersRoute from "@/app/api/vpn/peers/route";
import { createPeer, listPeers, revokePeer } from "@/lib/services/peers";
import { encodeCursor } from "@/lib/dal/keyset-cursor";
import { call } from "../support/api";
import { makeServer, makeUser } from "../support/factories";

/** Raises the default plan's device limit, as an admin may for a plan, so one account can hold many devices. */
async function raiseDefaultLimit(limit: number) {
  const db = await getDb();
  await db.execute(sql`update plans set device_limit = ${limit} where is_default`);
}

async function makeDevices(actor: Parameters<typeof createPeer>[0], serverId: string, n: number, prefix = "d") {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await createPeer(actor, { serverId, deviceName: `${prefix}${String(i).padStart(3, "0")}`, deviceType: "other" }));
  return made;
}

type Page = { items: { id: string; status: string }[]; nextCursor: string | null; activeCount: number; revokedCount: number };

async function walk(token: string, limit: number): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const qs: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await call(peersRoute.GET, { token, path: `/api/vpn/peers${qs}` });
    expect(res.status).toBe(200);
    pages.push(res.json);
    cursor = res.json.nextCursor;
  } while (cursor && pages.length < 100);
  return { ids: pages.flatMap((p) => p.items.map((i) => i.id)), pages };
}

describe("GET /api/vpn/peers pages", () => {
  it("walks every device once, active first then revoked, each oldest first, with the counts on every page", async () => {
    await raiseDefaultLimit(20);
    const server = await makeServer();
    const u = await makeUser();
    const made = await makeDevices(u.actor, server.id, 7);
    await revokePeer(u.actor, made[1].id);
    await revokePeer(u.actor, made[4].id);
    const expected = [0, 2, 3, 5, 6, 1, 4].map((i) => made[i].id);

    const { ids, pages } = await walk(u.token, 3);
    expect(ids).toEqual(expected);
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    for (const p of pages) expect(p).toMatchObject({ activeCount: 5, revokedCount: 2 });
    // The service answers the same pages as the route.
    expect((await listPeers(u.actor, { limit: 50 })).items.map((p) => p.id)).toEqual(expected);
  });

  it("neither repeats nor skips devices created in the same microsecond", async () => {
    await raiseDefaultLimit(20);
    const server = await makeServer();
    const u = await makeUser();
    const made = await makeDevices(u.actor, server.id, 6);
    const db = await getDb();
    await db.execute(sql`update wireguard_peers set created_at = '2026-01-01T00:00:00Z' where user_id = ${u.id}`);
    const { ids } = await walk(u.token, 1);
    expect(ids).toHaveLength(6);
    expect(new Set(ids)).toEqual(new Set(made.map((p) => p.id)));
  });

  it("answers 50 by default and at most 200, for an account whose limit was raised", async () => {
    await raiseDefaultLimit(260);
    const server = await makeServer({ ipv4Pool: "10.77.0.0/22" });
    const u = await makeUser();
    await makeDevices(u.actor, server.id, 205);
    const first = await call(peersRoute.GET, { token: u.token, path: "/api/vpn/peers" });
    expect(first.json.items).toHaveLength(50);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    expect(first.json.activeCount).toBe(205);
    const max = await call(peersRoute.GET, { token: u.token, path: "/api/vpn/peers?limit=200" });
    expect(max.json.items).toHaveLength(200);
    const rest = await call(peersRoute.GET, { token: u.token, path: `/api/vpn/peers?limit=200&cursor=${max.json.nextCursor}` });
    expect(rest.json.items).toHaveLength(5);
    expect(rest.json.nextCursor).toBeNull();
    expect(new Set([...max.json.items, ...rest.json.items].map((p: { id: string }) => p.id)).size).toBe(205);
  });

  it("refuses a bad limit or cursor with a 400 naming the field, and a cursor never reaches another account's devices", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const other = await makeUser();
    const [mine] = await makeDevices(u.actor, server.id, 1, "mine");
    await makeDevices(other.actor, server.id, 3, "theirs");
    for (const qs of ["limit=0", "limit=201", "limit=2.5", "limit=abc", "cursor=%00", "cursor=bm90LWEtY3Vyc29y", `cursor=${"x".repeat(400)}`]) {
      const res = await call(peersRoute.GET, { token: u.token, path: `/api/vpn/peers?${qs}` });
      expect(res.status, qs).toBe(400);
      expect(res.json.error.code, qs).toBe("validation_error");
      expect(res.text, qs).not.toMatch(/select|syntax|stack|at \w+ \(/i);
    }
    // A well-formed cursor made up by the caller only positions within the caller's own list.
    const forged = encodeCursor([0, "1970-01-01T00:00:00.000000Z", "00000000-0000-0000-0000-000000000000"]);
    const res = await call(peersRoute.GET, { token: u.token, path: `/api/vpn/peers?cursor=${forged}` });
    expect(res.status).toBe(200);
    expect(res.json.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
  });
});
