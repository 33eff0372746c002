import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Migrations 0010–0012 move the devices' live figures out of wireguard_peers
 * into peer_live_stats. A database migrated up to 0009 with devices in it
 * must keep every device's figures. Runs on a fresh database of its own (a
 * PGlite instance, or with TEST_DATABASE_URL a new PostgreSQL database), as
 * the shared test database is already fully migrated.
 */
const MIGRATIONS = path.resolve("db/migrations");
const BEFORE = "0009_dashboard_indexes";

/** The migrations folder as it was before the move: the journal cut after BEFORE. */
function foldersUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-migrations-"));
  fs.mkdirSync(path.join(dir, "meta"));
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut + 1);
  for (const e of journal.entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
  return dir;
}

type Fresh = { query: (text: string) => Promise<Record<string, unknown>[]>; migrate: (folder: string) => Promise<void>; close: () => Promise<void> };

async function freshDatabase(): Promise<Fresh> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = await PGlite.create();
    return {
      query: async (text) => (await client.query<Record<string, unknown>>(text)).rows,
      migrate: (folder) => migrate(drizzle({ client }), { migrationsFolder: folder }),
      close: () => client.close(),
    };
  }
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const name = `sw_migration_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    query: async (text) => [...(await client.unsafe(text))] as Record<string, unknown>[],
    migrate: (folder) => migrate(drizzle({ client }), { migrationsFolder: folder }),
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

let fresh: Fresh | undefined;
const folders: string[] = [];
afterAll(async () => {
  await fresh?.close();
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe("migrating the live figures to peer_live_stats", () => {
  it("copies every device's totals, handshake and endpoint, then drops the old columns", async () => {
    fresh = await freshDatabase();
    const before = foldersUpTo(BEFORE);
    folders.push(before);
    await fresh.migrate(before);
    await fresh.query(`insert into users (id, email) values ('u1', 'one@example.test')`);
    await fresh.query(`
      insert into vpn_servers (id, name, region, endpoint_host, ipv4_pool, ipv6_pool, public_key, private_key_sealed, capacity)
        values ('s1', 'Old 1', 'eu', 'vpn.example.test', '10.9.0.0/24', 'fd09::/64', 'server-key', 'sealed', 250)`);
    await fresh.query(`
      insert into wireguard_peers (id, user_id, server_id, device_name, device_type, public_key, preshared_key_sealed, host_index,
          ipv4, ipv6, status, rotation_interval_days, next_key_rotation_at, bytes_sent, bytes_received, last_handshake_at, endpoint)
        values
          ('used', 'u1', 's1', 'Phone', 'ios', 'key-1', 'psk', 2, '10.9.0.2', 'fd09::2', 'active', 90, now(),
            5000000000, 123, '2026-11-20T10:00:00Z', '198.51.100.7:41000'),
          ('fresh', 'u1', 's1', 'Laptop', 'linux', 'key-2', 'psk', 3, '10.9.0.3', 'fd09::3', 'active', 90, now(), 0, 0, null, null),
          ('gone', 'u1', 's1', 'Tablet', 'other', 'key-3', 'psk', 4, '10.9.0.4', 'fd09::4', 'revoked', 90, now(), 77, 88, '2026-10-01T00:00:00Z', '203.0.113.1:5000')`);

    await fresh.migrate(MIGRATIONS);

    const live = await fresh.query(
      `select peer_id, bytes_sent::text as sent, bytes_received::text as received, extract(epoch from last_handshake_at)::bigint::text as hs, endpoint
       from peer_live_stats order by peer_id`,
    );
    expect(live).toEqual([
      { peer_id: "fresh", sent: "0", received: "0", hs: null, endpoint: null },
      { peer_id: "gone", sent: "77", received: "88", hs: String(Date.parse("2026-10-01T00:00:00Z") / 1000), endpoint: "203.0.113.1:5000" },
      { peer_id: "used", sent: "5000000000", received: "123", hs: String(Date.parse("2026-11-20T10:00:00Z") / 1000), endpoint: "198.51.100.7:41000" },
    ]);
    const columns = await fresh.query(`select column_name from information_schema.columns where table_name = 'wireguard_peers'`);
    const names = columns.map((c) => c.column_name);
    expect(names).toContain("public_key");
    for (const gone of ["bytes_sent", "bytes_received", "last_handshake_at", "endpoint"]) expect(names).not.toContain(gone);
    // Room on the narrow table's pages for HOT updates; the device table no longer needs it.
    const options = await fresh.query(`select relname, reloptions from pg_class where relname in ('peer_live_stats', 'wireguard_peers') order by relname`);
    expect(options.map((o) => [o.relname, o.reloptions ?? null])).toEqual([
      ["peer_live_stats", ["fillfactor=50"]],
      ["wireguard_peers", null],
    ]);
    // The figures go with their device.
    await fresh.query(`delete from wireguard_peers where id = 'gone'`);
    expect(await fresh.query(`select 1 from peer_live_stats where peer_id = 'gone'`)).toHaveLength(0);
  });
});
