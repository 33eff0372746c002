import { z } from "zod";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";

/** GET /api/support/tickets/:id/messages: oldest first, pages of `limit` (max 200), or only what came after a message. */
export const ListMessagesQuerySchema = z.object({
  after: blankAsAbsent(IdSchema),
  cursor: blankAsAbsent(z.string().max(500)),
  limit: blankAsAbsent(
    z.coerce
      .number({ message: "limit must be a number" })
      .int("limit must be a whole number")
      .min(1, "limit must be at least 1")
      .transform((n) => Math.min(n, 200)),
  ),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuerySchema>;

/** POST /api/support/tickets/:id/presence: "I have this ticket open", and whether I am typing a reply. */
export const PresenceSchema = z.object({
  replying: z.boolean({ message: "replying must be true or false" }).default(false),
});
export type PresenceInput = z.infer<typeof PresenceSchema>;
