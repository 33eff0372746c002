import { withApi } from "@/lib/api/handler";
import { patchServer } from "@/lib/services/servers";
import { ServerPatchSchema } from "@/lib/validation/vpn";

export const PATCH = withApi({ auth: "admin", body: ServerPatchSchema }, ({ actor, params, body }) => patchServer(actor, params.id!, body));
