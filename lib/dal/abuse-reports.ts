import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, supportTickets, users } from "@/db/schema";
import type { IncidentStatus, IncidentType, Severity } from "@/lib/abuse/types";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";

/**
 * What the ticket page's "Report abuse" shows support staff: whose account the
 * ticket is from, and the incidents already filed from this ticket against
 * that account (their type and state only: the evidence and the rest of the
 * account's history stay with the admins).
 */
export interface TicketAbuseReports {
  requester: { id: string; email: string } | null;
  incidents: { id: string; incidentType: IncidentType; severity: Severity; status: IncidentStatus; detectedAt: string; reportedBy: string | null }[];
}

const l = abuseDetectionLogs;

export async function getTicketAbuseReports(actor: Actor, ticketId: string): Promise<TicketAbuseReports> {
  authorizeUser(actor, "support.work");
  const db = await getDb();
  const [ticket] = await db
    .select({ userId: supportTickets.userId, email: users.email })
    .from(supportTickets)
    .leftJoin(users, eq(users.id, supportTickets.userId))
    .where(eq(supportTickets.id, ticketId));
  if (!ticket) throw notFound("Ticket");
  // The reports this page files are about the requester: looked up through the index on the user's incidents.
  const incidents = ticket.userId
    ? await db
        .select({
          id: l.id,
          incidentType: l.incidentType,
          severity: l.severity,
          status: l.status,
          detectedAt: l.detectedAt,
          reportedBy: sql<string | null>`(select e.email from users e where e.id = ${l.reportedById})`,
        })
        .from(l)
        .where(and(eq(l.userId, ticket.userId), eq(l.ticketId, ticketId)))
        .orderBy(desc(l.detectedAt), desc(l.id))
        .limit(20)
    : [];
  return {
    requester: ticket.userId && ticket.email ? { id: ticket.userId, email: ticket.email } : null,
    incidents: incidents.map((i) => ({ ...i, detectedAt: i.detectedAt.toISOString() })),
  };
}
