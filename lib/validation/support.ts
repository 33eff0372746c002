import { z } from "zod";
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES } from "@/db/schema/support";
import { isValidTag, MAX_TAG_LENGTH, MAX_TAGS, normalizeTag, splitTags, uniqueTags } from "@/lib/support/tags";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";

export { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_STATUSES };
export type { TicketCategory, TicketPriority, TicketStatus } from "@/db/schema/support";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (label: string, max: number) =>
  z
    .string({ message: `Enter a ${label}` })
    .trim()
    .min(1, `Enter a ${label}`)
    .max(max, `The ${label} must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), `The ${label} must not contain control characters`);

/** The one id pattern of the app (lib/validation/ids.ts), here for the support modules that import it from this file. */
export { ID_PATTERN } from "@/lib/validation/ids";

export const TicketCategorySchema = z.enum(TICKET_CATEGORIES, { message: `Category must be one of ${TICKET_CATEGORIES.join(", ")}` });
export const TicketPrioritySchema = z.enum(TICKET_PRIORITIES, { message: `Priority must be one of ${TICKET_PRIORITIES.join(", ")}` });
export const TicketStatusSchema = z.enum(TICKET_STATUSES, { message: `Status must be one of ${TICKET_STATUSES.join(", ")}` });

export const CreateTicketSchema = z.object({
  subject: text("subject", 200).refine((v) => !/[\r\n]/.test(v), "The subject must be one line"),
  description: text("description", 10_000),
  category: TicketCategorySchema,
  priority: TicketPrioritySchema.default("medium"),
});
export type CreateTicket = z.infer<typeof CreateTicketSchema>;

/** One tag, trimmed and lowercased first (lib/support/tags.ts). */
export const TagSchema = z
  .string({ message: "A tag must be text" })
  .transform(normalizeTag)
  .refine((v) => v.length >= 1 && v.length <= MAX_TAG_LENGTH, { message: `A tag must be 1 to ${MAX_TAG_LENGTH} characters`, abort: true })
  .refine(isValidTag, "A tag may only use a-z, 0-9, \"-\", \"_\" and spaces");

/** A ticket's tags: deduplicated after normalizing, at most MAX_TAGS. */
export const TagListSchema = z
  .array(TagSchema, { message: "Tags must be a list" })
  .max(100, `At most ${MAX_TAGS} tags`)
  .transform(uniqueTags)
  .refine((v) => v.length <= MAX_TAGS, `At most ${MAX_TAGS} tags`);

/** A form's tag field: "vpn, billing" (JSON may send the list itself). */
export const TagTextSchema = z.preprocess((v) => (typeof v === "string" ? splitTags(v) : v), TagListSchema);

export const UpdateTicketSchema = z
  .object({
    status: TicketStatusSchema.optional(),
    priority: TicketPrioritySchema.optional(),
    assignedToId: IdSchema.nullable().optional(),
    tags: TagListSchema.optional(),
  })
  .strict()
  .refine((v) => v.status !== undefined || v.priority !== undefined || v.assignedToId !== undefined || v.tags !== undefined, {
    message: "Send at least one of status, priority, assignedToId, tags",
  });
export type UpdateTicket = z.infer<typeof UpdateTicketSchema>;

/** JSON sends a boolean; a form sends "true"/"on"/"1" (or nothing). */
const FormBoolean = z.union([z.boolean(), z.enum(["true", "false", "on", "off", "1", "0", ""]).transform((v) => v === "true" || v === "on" || v === "1")]);

export const AddMessageSchema = z.object({
  message: text("message", 10_000),
  isInternal: FormBoolean.optional().default(false),
  /** Staff: the macro this reply was written from; its status and tags are applied with the message. */
  macroId: blankAsAbsent(IdSchema),
});
export type AddMessage = z.infer<typeof AddMessageSchema>;

export const RatingSchema = z.object({
  rating: z.coerce
    .number({ message: "Rating must be a whole number from 1 to 5" })
    .int("Rating must be a whole number from 1 to 5")
    .min(1, "Rating must be a whole number from 1 to 5")
    .max(5, "Rating must be a whole number from 1 to 5"),
  feedback: z
    .string()
    .trim()
    .max(2000, "Feedback must be at most 2000 characters")
    .refine((v) => !CONTROL.test(v), "Feedback must not contain control characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type Rating = z.infer<typeof RatingSchema>;

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

/**
 * List filters. `status` also takes "active" (the queue: not resolved or
 * closed) and "all"; `assignedTo` takes a user id, "me" or "none"; `sla`
 * picks tickets breached or due soon right now.
 */
export const ListTicketsQuerySchema = z.object({
  status: z.preprocess(emptyAsUndefined, z.enum([...TICKET_STATUSES, "active", "all"]).optional()),
  priority: z.preprocess(emptyAsUndefined, TicketPrioritySchema.optional()),
  category: z.preprocess(emptyAsUndefined, TicketCategorySchema.optional()),
  assignedTo: z.preprocess(emptyAsUndefined, z.union([z.enum(["me", "none"]), IdSchema], { message: 'assignedTo must be a user id, "me" or "none"' }).optional()),
  sla: z.preprocess(emptyAsUndefined, z.enum(["breached", "due_soon"]).optional()),
  tag: z.preprocess(emptyAsUndefined, TagSchema.optional()),
  q: z.string().trim().max(200).optional(),
  limit: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ message: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be at least 1").default(50).transform((n) => Math.min(n, 200)),
  ),
  cursor: z.preprocess(emptyAsUndefined, z.string().max(500).optional()),
});
export type ListTicketsQuery = z.infer<typeof ListTicketsQuerySchema>;
export type TicketFilters = Omit<ListTicketsQuery, "limit"> & { limit?: number };
