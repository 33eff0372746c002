import type { QueueTicketDto } from "@/lib/services/support";

/** What a queue row shows (and its countdown needs): the rest of a ticket stays on the server. */
export type QueueRow = Pick<
  QueueTicketDto,
  | "id"
  | "ticketNumber"
  | "subject"
  | "category"
  | "priority"
  | "status"
  | "tags"
  | "requester"
  | "assignee"
  | "slaResponseDueAt"
  | "slaDueAt"
  | "slaPausedAt"
  | "firstResponseAt"
  | "slaBreached"
  | "slaResponseBreached"
> & {
  /** With a search: the matching words in context (escaped text, matches in <mark>). */
  highlight?: string | null;
};

export const toQueueRows = (items: (QueueTicketDto & { highlight?: string | null })[]): QueueRow[] =>
  items.map((t) => ({
    id: t.id,
    ticketNumber: t.ticketNumber,
    subject: t.subject,
    category: t.category,
    priority: t.priority,
    status: t.status,
    tags: t.tags,
    requester: t.requester,
    assignee: t.assignee,
    slaResponseDueAt: t.slaResponseDueAt,
    slaDueAt: t.slaDueAt,
    slaPausedAt: t.slaPausedAt,
    firstResponseAt: t.firstResponseAt,
    slaBreached: t.slaBreached,
    slaResponseBreached: t.slaResponseBreached,
    ...(t.highlight ? { highlight: t.highlight } : {}),
  }));
