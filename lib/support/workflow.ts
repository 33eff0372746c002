import type { TicketStatus } from "@/db/schema/support";

/**
 * Ticket rules that need no I/O: numbering and the automatic status moves of
 * a conversation.
 */

/** "202401" for any instant in January 2024 (UTC): numbers restart every month. */
export function ticketMonth(at: Date): string {
  return `${at.getUTCFullYear()}${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** TKT-YYYYMM-NNNNN; past 99999 in a month the sequence simply grows a digit. */
export function formatTicketNumber(month: string, sequence: number): string {
  if (!/^\d{6}$/.test(month) || !Number.isInteger(sequence) || sequence < 1) throw new Error("invalid ticket number parts");
  return `TKT-${month}-${String(sequence).padStart(5, "0")}`;
}

export type MessageSide = "requester" | "staff";

/**
 * The status after a message: the requester's reply hands the ticket back to
 * support (and reopens a resolved one); a staff reply the requester can see
 * waits on the requester; an internal note changes nothing. A closed ticket
 * takes no message at all (null).
 */
export function statusAfterMessage(current: TicketStatus, side: MessageSide, isInternal: boolean): TicketStatus | null {
  if (current === "closed") return null;
  if (isInternal) return current;
  return side === "requester" ? "waiting_support" : "waiting_user";
}

/** Ratings are for finished tickets only. */
export const canBeRated = (status: TicketStatus) => status === "resolved" || status === "closed";
