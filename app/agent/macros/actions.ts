"use server";

import { z } from "zod";
import { createMacro, deleteMacro, updateMacro } from "@/lib/services/support";
import { MacroInputSchema, MacroPatchSchema } from "@/lib/validation/support-tools";
import { IdSchema } from "@/lib/validation/ids";
import { defineFormAction } from "@/lib/actions/define-action";

const NOT_FOUND = "This macro no longer exists.";
const MACROS = ["/agent/macros"] as const;
const FIELDS = ["name", "body", "setStatus", "addTags"] as const;

/** A new canned reply (admins). */
export const createMacroAction = defineFormAction(
  { auth: "support.macros.manage", input: MacroInputSchema, values: FIELDS, revalidate: MACROS },
  async ({ actor, input }) => {
    const macro = await createMacro(actor, input);
    return { id: macro.id };
  },
);

/** The edit form sends every field: each replaces the stored one. */
export const updateMacroAction = defineFormAction(
  { auth: "support.macros.manage", input: MacroPatchSchema.safeExtend({ id: IdSchema }), values: FIELDS, notFound: NOT_FOUND, revalidate: MACROS },
  async ({ actor, input: { id, ...patch } }) => {
    await updateMacro(actor, id, patch);
    return null;
  },
);

export const deleteMacroAction = defineFormAction(
  { auth: "support.macros.manage", input: z.object({ id: IdSchema }), notFound: NOT_FOUND, revalidate: MACROS },
  async ({ actor, input }) => {
    await deleteMacro(actor, input.id);
    return null;
  },
);
