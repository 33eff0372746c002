import { withApi } from "@/lib/api/handler";
import { MacroPatchSchema } from "@/lib/validation/support-tools";
import { deleteMacro, getMacro, updateMacro } from "@/lib/services/support";

/** Staff: one macro. */
export const GET = withApi({ auth: "staff" }, async ({ actor, params }) => getMacro(actor, params.id!));

/** Admins: change any of `{name, body, setStatus, addTags}`. */
export const PATCH = withApi({ auth: "admin", body: MacroPatchSchema }, async ({ actor, params, body }) => updateMacro(actor, params.id!, body));

/** Admins: 204. Replies already written from it stay as they are. */
export const DELETE = withApi({ auth: "admin" }, async ({ actor, params }) => {
  await deleteMacro(actor, params.id!);
  return new Response(null, { status: 204 });
});
