import { describe, expect, it } from "vitest";
import { createPeer, listPeers, revokePeer } from "@/lib/services/peers";
import { packPeerPage, unpackPeerPage } from "@/app/(app)/devices/_components/peer-pack";
import { makeServer, makeUser } from "../support/factories";

describe("the device page's packed first page", () => {
  it("gives back equal devices, nested objects and nulls included, and names each field once", async () => {
    const server = await makeServer();
    const u = await makeUser();
    const a = await createPeer(u.actor, { serverId: server.id, deviceName: "Phone", deviceType: "ios" });
    await createPeer(u.actor, { serverId: server.id, deviceName: "Laptop", deviceType: "linux" });
    await revokePeer(u.actor, a.id);
    const page = await listPeers(u.actor);
    const packed = packPeerPage(page);
    expect(JSON.parse(JSON.stringify(unpackPeerPage(JSON.parse(JSON.stringify(packed)))))).toEqual(JSON.parse(JSON.stringify(page)));
    expect(JSON.stringify(packed).match(/"deviceName"/g)).toHaveLength(1);
    // What each further device costs: its values only.
    expect(JSON.stringify(packed.rows).length).toBeLessThan(JSON.stringify(page.items).length * 0.7);
  });

  it("packs an empty page", () => {
    const empty = { items: [], nextCursor: null, activeCount: 0, revokedCount: 0 };
    expect(unpackPeerPage(packPeerPage(empty))).toEqual(empty);
  });
});
