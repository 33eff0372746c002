import "server-only";
import { eventType } from "inngest";
import { z } from "zod";

/** Every event the app sends, typed and validated with zod (Inngest v4 `eventType`). */
export const emailQueued = eventType("securewave/email.queued", {
  // Only a wake-up call: the outbox rows are the payload, so nothing personal travels through Inngest.
  schema: z.object({ count: z.number().int().min(0).optional() }),
});

export const jobRunRequested = eventType("securewave/job.run.requested", {
  schema: z.object({ job: z.string().min(1), runId: z.string().min(1) }),
});

export const EVENTS = { [emailQueued.name]: emailQueued, [jobRunRequested.name]: jobRunRequested } as const;
export type EventName = keyof typeof EVENTS;
export type EventData<N extends EventName> = z.input<NonNullable<(typeof EVENTS)[N]["schema"]>>;
