import { withApi } from "@/lib/api/handler";
import { RotatePeerSchema } from "@/lib/validation/vpn";
import { rotatePeer } from "@/lib/services/rotation";

export const POST = withApi({ auth: "user", body: RotatePeerSchema }, async ({ actor, params, body }) =>
  rotatePeer(actor, params.id!, { publicKey: body.publicKey }),
);
