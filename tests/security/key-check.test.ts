import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHmac, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { vpnServers, wireguardPeers } from "@/db/schema";
import { resetEnv } from "@/lib/env";
import { resetRuntimeSecrets } from "@/lib/runtime-secrets";
import { seal } from "@/lib/crypto/seal";
import { verifyEncryptionKeys } from "@/lib/services/key-check";
import { createPeer } from "@/lib/services/peers";
import { resealAll } from "@/lib/services/reseal";
import { unsealablePeerCounts } from "@/lib/services/server-config";
import * as configRoute from "@/app/api/agent/config/route";
import * as metricsRoute from "@/app/api/metrics/route";
import { call } from "../support/api";
import { inProcessCli, spawnCli, type CliEnv } from "../support/cli";
import { makeServer, makeUser } from "../support/factories";
import { parsePrometheusText, sampleValue } from "../support/prom-parser";

// The file's key, as the database setup sets it before the first test.
let RIGHT: string;
beforeAll(() => {
  RIGHT = process.env.ENCRYPTION_KEY!;
});
const wrongKey = () => randomBytes(32).toString("base64");

/** Switches the master keys as a restart with these variables would. */
function useKeys(keys: { ENCRYPTION_KEY?: string; ENCRYPTION_KEY_ID?: string; ENCRYPTION_KEYS_OLD?: string }) {
  resetEnv({ ENCRYPTION_KEY: RIGHT, ENCRYPTION_KEY_ID: "k1", ENCRYPTION_KEYS_OLD: undefined, ...keys });
  resetRuntimeSecrets();
}

afterEach(() => useKeys({}));

async function storedCheck(keyId: string): Promise<string | undefined> {
  const db = await getDb();
  const [row] = await rows<{ check_value: string }>(db, sql`select check_value from encryption_key_checks where key_id = ${keyId}`);
  return row?.check_value;
}

describe("master key check", () => {
  it("records a key id's check on first use, passes the same key and refuses another, naming the variable", async () => {
    expect(await storedCheck("k1")).toBeUndefined();
    await verifyEncryptionKeys();
    const expected = createHmac("sha256", Buffer.from(RIGHT, "base64")).update("securewave key check v1").digest("base64url");
    expect(await storedCheck("k1")).toBe(expected);
    await verifyEncryptionKeys(); // same key: passes, nothing rewritten
    expect(await storedCheck("k1")).toBe(expected);

    useKeys({ ENCRYPTION_KEY: wrongKey() });
    await expect(verifyEncryptionKeys()).rejects.toThrow(/^ENCRYPTION_KEY \(key id "k1", ENCRYPTION_KEY_ID\) is not the key/);
    expect(await storedCheck("k1")).toBe(expected);

    // A right new key, but a wrong old one.
    useKeys({ ENCRYPTION_KEY: wrongKey(), ENCRYPTION_KEY_ID: "k2", ENCRYPTION_KEYS_OLD: `k1:${wrongKey()}` });
    await expect(verifyEncryptionKeys()).rejects.toThrow(/^ENCRYPTION_KEYS_OLD \(key id "k1"\) is not the key/);
  });

  it("refuses a wrong key under an id already used by secrets sealed before the checks existed", async () => {
    const db = await getDb();
    useKeys({ ENCRYPTION_KEY_ID: "legacy" });
    await makeServer(); // sealed under "legacy", no check recorded
    expect(await storedCheck("legacy")).toBeUndefined();
    useKeys({ ENCRYPTION_KEY_ID: "legacy", ENCRYPTION_KEY: wrongKey() });
    await expect(verifyEncryptionKeys()).rejects.toThrow(/^ENCRYPTION_KEY \(key id "legacy"/);
    expect(await storedCheck("legacy")).toBeUndefined();
    useKeys({ ENCRYPTION_KEY_ID: "legacy" });
    await verifyEncryptionKeys();
    expect(await storedCheck("legacy")).toBeDefined();
    // Move it back under k1 for the rest of the file.
    useKeys({ ENCRYPTION_KEYS_OLD: `legacy:${RIGHT}` });
    expect(await resealAll()).toBe(1);
    expect(await rows(db, sql`select 1 from vpn_servers where private_key_sealed like 'v1.legacy.%'`)).toHaveLength(0);
  });

  it("keeps keys:reseal working: a new key id gets its check, the old one stays checked until it is dropped", async () => {
    await verifyEncryptionKeys();
    const server = await makeServer();
    const newKey = wrongKey();
    useKeys({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_ID: "k3", ENCRYPTION_KEYS_OLD: `k1:${RIGHT}` });
    await verifyEncryptionKeys();
    expect(await storedCheck("k3")).toBeDefined();
    expect(await resealAll()).toBeGreaterThan(0);
    useKeys({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_ID: "k3" });
    await verifyEncryptionKeys();
    expect(await serverConfigIsReadable(server.agentToken)).toBe(true);
    // Back to k1 for the rest of the file: its check is still the right key's.
    useKeys({ ENCRYPTION_KEYS_OLD: `k3:${newKey}` });
    await verifyEncryptionKeys();
    expect(await resealAll()).toBeGreaterThan(0);
  });
});

async function serverConfigIsReadable(agentToken: string): Promise<boolean> {
  return (await call(configRoute.GET, { token: agentToken })).status === 200;
}

describe("a peer whose preshared key does not open", () => {
  afterAll(() => resetEnv({ METRICS_TOKEN: undefined, LOG_LEVEL: "silent" }));

  it("is left out of its server's config (200 for the others), logged with its id, counted and shown to admins", async () => {
    const db = await getDb();
    const server = await makeServer();
    const devices = [];
    for (let i = 0; i < 3; i++) {
      const u = await makeUser();
      devices.push(await createPeer(u.actor, { serverId: server.id, deviceName: `d${i}`, deviceType: "linux" }));
    }
    const [good, unknownId, wrongUnderSameId] = devices as [(typeof devices)[0], (typeof devices)[0], (typeof devices)[0]];
    // One sealed under a key id this instance does not know, one by a wrong key under the current id.
    const lostKey = wrongKey();
    useKeys({ ENCRYPTION_KEY: lostKey, ENCRYPTION_KEY_ID: "lost" });
    const underLost = seal(randomBytes(32).toString("base64"));
    useKeys({ ENCRYPTION_KEY: wrongKey() });
    const underWrong = seal(randomBytes(32).toString("base64"));
    useKeys({});
    await db.update(wireguardPeers).set({ presharedKeySealed: underLost }).where(eq(wireguardPeers.id, unknownId.id));
    await db.update(wireguardPeers).set({ presharedKeySealed: underWrong }).where(eq(wireguardPeers.id, wrongUnderSameId.id));
    await db.update(vpnServers).set({ configVersion: sql`${vpnServers.configVersion} + 1` }).where(eq(vpnServers.id, server.id));

    resetEnv({ LOG_LEVEL: "error" });
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (written.push(String(chunk)), true));
    let config;
    try {
      config = await call(configRoute.GET, { token: server.agentToken });
    } finally {
      stderr.mockRestore();
      resetEnv({ LOG_LEVEL: "silent" });
    }
    expect(config.status).toBe(200);
    const keys = [...config.text.matchAll(/^PublicKey = (.+)$/gm)].map((m) => m[1]);
    expect(keys).toEqual([good.publicKey]);

    const lines = written.flatMap((w) => w.split("\n")).filter(Boolean).map((l) => JSON.parse(l));
    const logged = lines.filter((l) => l.msg === "server_config.unsealable_peer");
    expect(logged.map((l) => l.peerId).sort()).toEqual([unknownId.id, wrongUnderSameId.id].sort());
    expect(logged.every((l) => l.serverId === server.id)).toBe(true);
    expect(written.join("")).not.toContain(underLost.split(".")[3]);
    expect(written.join("")).not.toContain(underWrong.split(".")[3]);

    resetEnv({ METRICS_TOKEN: "key-check-metrics-token-0123" });
    const scraped = await call(metricsRoute.GET as never, { path: "/api/metrics", token: "key-check-metrics-token-0123" });
    expect(scraped.status).toBe(200);
    expect(sampleValue(parsePrometheusText(scraped.text), "securewave_unsealable_peers", { server: server.name })).toBe(2);
    expect((await unsealablePeerCounts([server.id])).get(server.id)).toBe(2);

    // The same config is still a 304, but never from the stored ETag alone: once the lost key is
    // configured again, the next pull brings the peer back without any change to the config.
    const etag = config.headers.get("etag")!;
    expect((await call(configRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag } })).status).toBe(304);
    useKeys({ ENCRYPTION_KEYS_OLD: `lost:${lostKey}` });
    const back = await call(configRoute.GET, { token: server.agentToken, headers: { "if-none-match": etag } });
    expect(back.status).toBe(200);
    expect([...back.text.matchAll(/^PublicKey = (.+)$/gm)].map((m) => m[1]).sort()).toEqual([good.publicKey, unknownId.publicKey].sort());
    const again = await call(metricsRoute.GET as never, { path: "/api/metrics", token: "key-check-metrics-token-0123" });
    expect(sampleValue(parsePrometheusText(again.text), "securewave_unsealable_peers", { server: server.name })).toBe(1);
  });
});

// The real process, once (PGlite pass): a CLI command that seals, with a wrong key, on a directory the right key prepared.
describe("the admin page's count", () => {
  it("counts a server no config build has seen from the key ids alone, without building its config", async () => {
    const server = await makeServer({ ipv4Pool: "10.93.0.0/24" });
    const u = await makeUser();
    const a = await createPeer(u.actor, { serverId: server.id, deviceName: "a", deviceType: "linux" });
    await createPeer(u.actor, { serverId: server.id, deviceName: "b", deviceType: "linux" });
    const db = await getDb();
    // Sealed under a key id this instance does not have (a key dropped too early).
    await db.update(wireguardPeers).set({ presharedKeySealed: sql`'v1.gone.' || split_part(${wireguardPeers.presharedKeySealed}, '.', 3) || '.' || split_part(${wireguardPeers.presharedKeySealed}, '.', 4)` }).where(eq(wireguardPeers.id, a.id));
    expect((await unsealablePeerCounts([server.id])).get(server.id)).toBe(1);
  });
});

describe.skipIf(!!process.env.TEST_DATABASE_URL)("a process started with a wrong ENCRYPTION_KEY", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-keycheck-"));
  const env: CliEnv = { DATABASE_URL: `file:${dir}/db`, DATA_DIR: `${dir}/data` };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits non-zero naming the variable, and writes nothing", { timeout: 120_000 }, async () => {
    await inProcessCli(env, async (cli) => {
      const made = await cli("server:create", "--name", "Right 1", "--endpoint", "right1.example.test:51820");
      expect(made.code).toBe(0);
    });
    const wrong = spawnCli({ ...env, ENCRYPTION_KEY: wrongKey() } as CliEnv, "server:create", "--name", "Wrong 1", "--endpoint", "wrong1.example.test:51820");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/ENCRYPTION_KEY \(key id "k1", ENCRYPTION_KEY_ID\) is not the key this database was sealed with/);
    await inProcessCli(env, async () => {
      const names = await rows<{ name: string }>(await getDb(), sql`select name from vpn_servers order by name`);
      expect(names.map((r) => r.name)).toEqual(["Right 1"]);
    });
  });
});
