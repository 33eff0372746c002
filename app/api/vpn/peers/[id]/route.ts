import { withApi } from "@/lib/api/handler";
import { deletePeer, getPeer, updatePeer } from "@/lib/services/peers";
import { UpdatePeerSchema } from "@/lib/validation/vpn";
import { peerStats } from "@/lib/vpn/peer-stats";

export const GET = withApi({ auth: "user" }, async ({ actor, params }) => {
  const peer = await getPeer(actor, params.id!);
  return { ...peer, stats: peerStats({ ...peer, nextKeyRotationAt: peer.nextKeyRotationAt }) };
});

export const DELETE = withApi({ auth: "user" }, async ({ actor, params }) => {
  await deletePeer(actor, params.id!);
  return new Response(null, { status: 204 });
});

export const PATCH = withApi({ auth: "user", body: UpdatePeerSchema }, async ({ actor, params, body }) => {
  const peer = await updatePeer(actor, params.id!, body);
  return { ...peer, stats: peerStats({ ...peer, nextKeyRotationAt: peer.nextKeyRotationAt }) };
});
