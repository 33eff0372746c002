import { withApi } from "@/lib/api/handler";
import { movePeer } from "@/lib/services/move-peer";
import { MovePeerSchema } from "@/lib/validation/plans";
import { peerStats } from "@/lib/vpn/peer-stats";

/** POST /api/vpn/peers/:id/move {serverId} → the peer on the new server (same id and key, new addresses): its config must be loaded again. */
export const POST = withApi({ auth: "user", body: MovePeerSchema }, async ({ actor, params, body }) => {
  const peer = await movePeer(actor, params.id!, body.serverId);
  return { ...peer, stats: peerStats({ ...peer, nextKeyRotationAt: peer.nextKeyRotationAt }) };
});
