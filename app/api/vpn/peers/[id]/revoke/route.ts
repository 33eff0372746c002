import { withApi } from "@/lib/api/handler";
import { revokePeer } from "@/lib/services/peers";

export const POST = withApi({ auth: "user" }, async ({ actor, params }) => revokePeer(actor, params.id!));
