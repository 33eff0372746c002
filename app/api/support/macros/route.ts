import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { ListMacrosQuerySchema, MacroInputSchema } from "@/lib/validation/support-tools";
import { createMacro, listMacros } from "@/lib/services/support";

/** Staff: the canned replies, by name, `{items, nextCursor}`. */
export const GET = withApi({ auth: "staff", query: ListMacrosQuerySchema }, async ({ actor, query }) => listMacros(actor, query));

/** Admins: `{name, body, setStatus?, addTags?}` → 201 macro; a name in use (whatever its case) is 409 `duplicate_name`. */
export const POST = withApi({ auth: "admin", body: MacroInputSchema }, async ({ actor, body }) => NextResponse.json(await createMacro(actor, body), { status: 201 }));
