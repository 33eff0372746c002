import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { wireguardPeers } from "@/db/schema";
import { createPeer } from "@/lib/services/peers";
import { agentConfig, clearServerConfigCache, peerSection, serverConfigText } from "@/lib/services/server-config";
import { pipelinedTransaction } from "@/db/pipelined-transaction";
import { seal } from "@/lib/crypto/seal";
import { generateKeyPair, generatePresharedKey } from "@/lib/wireguard/keys";
import { serverConfig } from "@/lib/wireguard/config";
import { makeServer, makeUser } from "../support/factories";

describe("server config sections", () => {
  it("header plus per-peer sections is byte for byte serverConfig", () => {
    const peers = [0, 1, 2].map((i) => ({ publicKey: generateKeyPair().publicKey, presharedKey: generatePresharedKey(), allowedIps: [`10.9.0.${i + 2}/32`, `fd09::${i + 2}/128`] }));
    const whole = serverConfig({ privateKey: generateKeyPair().privateKey, listenPort: 51820, peers });
    const header = serverConfig({ privateKey: whole.match(/^PrivateKey = (.+)$/m)![1]!, listenPort: 51820, peers: [] });
    expect(header + peers.map(peerSection).join("")).toBe(whole);
  });

  it("a cached build is the uncached build; a changed preshared key is never served stale", async () => {
    const server = await makeServer({ ipv4Pool: "10.70.0.0/24" });
    const u = await makeUser();
    const a = await createPeer(u.actor, { serverId: server.id, deviceName: "a", deviceType: "ios" });
    await createPeer(u.actor, { serverId: server.id, deviceName: "b", deviceType: "ios" });
    const first = await serverConfigText(server.id);
    expect(await serverConfigText(server.id)).toBe(first);
    clearServerConfigCache();
    expect(await serverConfigText(server.id)).toBe(first);

    // The same public key with another preshared key (a re-registration, a reseal gone wrong): a miss, not a stale hit.
    const psk = generatePresharedKey();
    const db = await getDb();
    await db.update(wireguardPeers).set({ presharedKeySealed: seal(psk) }).where(eq(wireguardPeers.id, a.id));
    const after = await serverConfigText(server.id);
    expect(after).toContain(`PublicKey = ${a.publicKey}\nPresharedKey = ${psk}\n`);
    const pulled = await agentConfig(server.id, null);
    expect(pulled.status === 200 && pulled.text).toBe(after);
  });
});

describe("pipelined transaction", () => {
  it("is all or nothing: a failing statement undoes the ones before it", async () => {
    const db = await getDb();
    await db.execute(sql`create table if not exists pipeline_probe (id int primary key)`);
    const err = await pipelinedTransaction([sql`insert into pipeline_probe values (1)`, sql`insert into pipeline_probe values (1)`]).catch((e) => e);
    expect(err?.code ?? err?.cause?.code).toBe("23505");
    expect(await rows(db, sql`select * from pipeline_probe`)).toHaveLength(0);
    const [inserted] = await pipelinedTransaction([sql`insert into pipeline_probe values (2) returning id`]);
    expect(inserted).toEqual([{ id: 2 }]);
    await db.execute(sql`drop table pipeline_probe`);
  });
});
