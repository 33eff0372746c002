import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { resetRuntimeSecrets } from "@/lib/runtime-secrets";
import { createPeer } from "@/lib/services/peers";
import { peerConfig } from "@/lib/services/peer-config";
import { rotatePeer } from "@/lib/services/rotation";
import { serverConfigText } from "@/lib/services/server-config";
import { resealAll } from "@/lib/services/reseal";
import { makeServer, makeUser } from "../support/factories";

describe("keys:reseal", () => {
  it("moves every secret to the new master key; old ids work until it finishes, and nothing changes for users", async () => {
    const oldKey = process.env.ENCRYPTION_KEY!;
    const server = await makeServer();
    const u = await makeUser();
    const peer = await createPeer(u.actor, { serverId: server.id, deviceName: "phone", deviceType: "ios" });
    await rotatePeer(u.actor, peer.id); // a previous key in grace too
    const before = { client: (await peerConfig(u.actor, peer.id)).text, server: await serverConfigText(server.id) };

    // A new master key k2; k1 stays readable.
    const newKey = randomBytes(32).toString("base64");
    resetEnv({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_ID: "k2", ENCRYPTION_KEYS_OLD: `k1:${oldKey}` });
    resetRuntimeSecrets();
    expect((await peerConfig(u.actor, peer.id)).text).toBe(before.client); // still readable mid-way

    const n = await resealAll();
    expect(n).toBeGreaterThanOrEqual(4);
    const db = await getDb();
    const left = await rows<{ n: number }>(
      db,
      sql`select (select count(*) from wireguard_peers where private_key_sealed not like 'v1.k2.%' or preshared_key_sealed not like 'v1.k2.%')
               + (select count(*) from vpn_servers where private_key_sealed not like 'v1.k2.%')
               + (select count(*) from peer_previous_keys where preshared_key_sealed not like 'v1.k2.%') as n`,
    );
    expect(Number(left[0]!.n)).toBe(0);
    expect(await resealAll()).toBe(0); // idempotent

    // Without the old key at all, everything still opens.
    resetEnv({ ENCRYPTION_KEYS_OLD: undefined });
    resetRuntimeSecrets();
    expect((await peerConfig(u.actor, peer.id)).text).toBe(before.client);
    expect(await serverConfigText(server.id)).toBe(before.server);
    resetEnv({ ENCRYPTION_KEY: oldKey, ENCRYPTION_KEY_ID: "k1" });
    resetRuntimeSecrets();
  });
});
