import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { CreatePeerSchema, PeerListQuerySchema } from "@/lib/validation/vpn";
import { createPeer, listPeers } from "@/lib/services/peers";

export const GET = withApi({ auth: "user", query: PeerListQuerySchema }, async ({ actor, query }) => listPeers(actor, query));

export const POST = withApi({ auth: "user", body: CreatePeerSchema }, async ({ actor, body }) =>
  NextResponse.json(await createPeer(actor, body), { status: 201 }),
);
