import "server-only";
import { supportTickets as t, type AttachmentRef } from "@/db/schema";
import type { TicketCategory, TicketPriority, TicketStatus } from "@/db/schema/support";
import { slaView, type SlaState, type SlaTargets } from "@/lib/support/sla";
import type { DeviceSnapshot } from "@/lib/support/device-snapshot";

/** Columns a ticket answer is built from (metadata only through the fields below). */
export const ticketColumns = {
  id: t.id,
  ticketNumber: t.ticketNumber,
  userId: t.userId,
  assignedToId: t.assignedToId,
  subject: t.subject,
  description: t.description,
  category: t.category,
  priority: t.priority,
  status: t.status,
  tags: t.tags,
  metadata: t.metadata,
  slaResponseDueAt: t.slaResponseDueAt,
  slaDueAt: t.slaDueAt,
  slaResponseBreached: t.slaResponseBreached,
  slaResponseBreachedAt: t.slaResponseBreachedAt,
  slaBreached: t.slaBreached,
  slaBreachedAt: t.slaBreachedAt,
  slaPausedAt: t.slaPausedAt,
  slaPausedSeconds: t.slaPausedSeconds,
  firstResponseAt: t.firstResponseAt,
  resolvedAt: t.resolvedAt,
  closedAt: t.closedAt,
  userRating: t.userRating,
  userFeedback: t.userFeedback,
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
};

export interface TicketRow {
  id: string;
  ticketNumber: string;
  userId: string;
  assignedToId: string | null;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  tags: string[];
  metadata: Record<string, unknown>;
  slaResponseDueAt: Date;
  slaDueAt: Date;
  slaResponseBreached: boolean;
  slaResponseBreachedAt: Date | null;
  slaBreached: boolean;
  slaBreachedAt: Date | null;
  slaPausedAt: Date | null;
  slaPausedSeconds: number;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  userRating: number | null;
  userFeedback: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A ticket as API.md lists it, plus the response-breach flag, the paused instant and the read-time SLA state. */
export interface TicketDto {
  id: string;
  ticketNumber: string;
  userId: string;
  assignedToId: string | null;
  subject: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  tags: string[];
  slaResponseDueAt: string;
  slaDueAt: string;
  slaBreached: boolean;
  slaResponseBreached: boolean;
  slaPausedAt: string | null;
  slaState: SlaState;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  userRating: number | null;
  userFeedback: string | null;
  createdAt: string;
  updatedAt: string;
  /** In search results: the best matching text, HTML-escaped, the matching words in <mark>. */
  highlight?: string | null;
}

export interface PersonDto {
  id: string;
  email: string;
  name: string | null;
}

export interface AttachmentDto {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
}

export interface MessageDto {
  id: string;
  ticketId: string;
  userId: string | null;
  author: { name: string; isStaff: boolean } | null;
  message: string;
  isInternal: boolean;
  isAutomated: boolean;
  attachments: AttachmentDto[];
  createdAt: string;
}

export interface TicketDetailDto extends TicketDto {
  messages: MessageDto[];
  /** Files sent with the ticket itself. */
  attachments: AttachmentDto[];
  /** For vpn_connection tickets: the requester's devices when the ticket was opened. */
  deviceSnapshot: DeviceSnapshot | null;
  /** Staff view only. */
  requester?: PersonDto;
  assignee?: PersonDto | null;
}

/** A row of the staff queue: who asked, who works it. */
export interface QueueTicketDto extends TicketDto {
  requester: PersonDto;
  assignee: PersonDto | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toTicketDto(r: TicketRow, now: Date, targets: SlaTargets): TicketDto {
  return {
    id: r.id,
    ticketNumber: r.ticketNumber,
    userId: r.userId,
    assignedToId: r.assignedToId,
    subject: r.subject,
    description: r.description,
    category: r.category,
    priority: r.priority,
    status: r.status,
    tags: r.tags ?? [],
    slaResponseDueAt: r.slaResponseDueAt.toISOString(),
    slaDueAt: r.slaDueAt.toISOString(),
    slaBreached: r.slaBreached,
    slaResponseBreached: r.slaResponseBreached,
    slaPausedAt: iso(r.slaPausedAt),
    slaState: slaView(r, now, targets).state,
    firstResponseAt: iso(r.firstResponseAt),
    resolvedAt: iso(r.resolvedAt),
    closedAt: iso(r.closedAt),
    userRating: r.userRating,
    userFeedback: r.userFeedback,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const attachmentUrl = (ticketId: string, attachmentId: string) =>
  `/api/support/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`;

export function toAttachmentDto(ticketId: string, a: AttachmentRef): AttachmentDto {
  return { id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, url: attachmentUrl(ticketId, a.id) };
}
