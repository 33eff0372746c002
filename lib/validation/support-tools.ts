import { z } from "zod";
import { IdSchema } from "@/lib/validation/ids";
import { TagListSchema, TagTextSchema, TicketStatusSchema } from "@/lib/validation/support";

/** The most tickets one bulk action may name. */
export const MAX_BULK_IDS = 100;

/** POST /api/support/tickets/bulk: the changes apply to every named ticket the caller may see. */
export const BulkUpdateSchema = z
  .object({
    ids: z
      .array(IdSchema, { message: "ids must be a list of ticket ids" })
      .min(1, "Select at least one ticket")
      .max(MAX_BULK_IDS, `At most ${MAX_BULK_IDS} tickets at once`)
      .transform((ids) => [...new Set(ids)]),
    /** A staff member's id, or null to unassign. */
    assigneeId: IdSchema.nullable().optional(),
    status: TicketStatusSchema.optional(),
    addTags: TagListSchema.optional(),
  })
  .strict()
  .refine((v) => v.assigneeId !== undefined || v.status !== undefined || (v.addTags?.length ?? 0) > 0, {
    message: "Send at least one of assigneeId, status, addTags",
  });
export type BulkUpdate = z.infer<typeof BulkUpdateSchema>;

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const MacroName = z
  .string({ message: "Enter a name" })
  .trim()
  .min(1, "Enter a name")
  .max(80, "The name must be at most 80 characters")
  .refine((v) => !CONTROL.test(v) && !/[\r\n]/.test(v), "The name must be one line of text");

const MacroBody = z
  .string({ message: "Enter the reply text" })
  .trim()
  .min(1, "Enter the reply text")
  .max(10_000, "The reply text must be at most 10000 characters")
  .refine((v) => !CONTROL.test(v), "The reply text must not contain control characters");

/** A form's "no change" option sends "": no status. */
const SetStatus = z.preprocess((v) => (v === "" ? null : v), TicketStatusSchema.nullable());

/** POST /api/support/macros. */
export const MacroInputSchema = z
  .object({
    name: MacroName,
    body: MacroBody,
    setStatus: SetStatus.optional().default(null),
    addTags: TagTextSchema.optional().default([]),
  })
  .strict();
export type MacroInput = z.infer<typeof MacroInputSchema>;

/** PATCH /api/support/macros/:id: the fields sent change, the others stay. */
export const MacroPatchSchema = z
  .object({
    name: MacroName.optional(),
    body: MacroBody.optional(),
    setStatus: SetStatus.optional(),
    addTags: TagTextSchema.optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Send at least one of name, body, setStatus, addTags" });
export type MacroPatch = z.infer<typeof MacroPatchSchema>;

export const ListMacrosQuerySchema = z.object({
  limit: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number({ message: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be at least 1").default(50).transform((n) => Math.min(n, 200)),
  ),
  cursor: z.preprocess((v) => (v === "" ? undefined : v), z.string().max(500).optional()),
});
export type ListMacrosQuery = z.infer<typeof ListMacrosQuerySchema>;
