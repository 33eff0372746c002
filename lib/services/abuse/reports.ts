import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { loadIncident, type IncidentDto } from "@/lib/dal/abuse-incident";
import { AppError, notFound } from "@/lib/errors";
import type { ReportIncident } from "@/lib/validation/abuse-mitigation";

const TYPE_WORDS = (type: string) => type.replace(/_/g, " ");

/**
 * POST /api/admin/abuse: an incident opened by a person rather than the scan.
 * Without a ticket it is `manual` and needs abuse.manage (admins); with one
 * it is a `user_report` linking that ticket, which support staff may file
 * from the ticket page (support.work). Either enters the same queue and
 * lifecycle as the scan's incidents. The partial unique index allows one open
 * incident per user and type, so a second one answers 409 `conflict`, even
 * when two are filed at once (ON CONFLICT DO NOTHING on that index).
 */
export async function reportIncident(actor: Actor, input: ReportIncident): Promise<IncidentDto> {
  authorizeUser(actor, input.ticketId ? "support.work" : "abuse.manage");
  const method = input.ticketId ? "user_report" : "manual";
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [user] = await rows<{ id: string }>(tx, sql`select id from users where id = ${input.userId}`);
    if (!user) throw notFound("User");
    let metadata: Record<string, unknown> = { openedBy: actor.email };
    if (input.ticketId) {
      const [ticket] = await rows<{ id: string; ticket_number: string; subject: string; user_id: string }>(
        tx,
        sql`select id, ticket_number, subject, user_id from support_tickets where id = ${input.ticketId}`,
      );
      if (!ticket) throw notFound("Ticket");
      metadata = { ...metadata, ticketId: ticket.id, ticketNumber: ticket.ticket_number, ticketSubject: ticket.subject, reportedByRequester: ticket.user_id === input.userId };
    }
    const [created] = await rows<{ id: string }>(
      tx,
      sql`insert into abuse_detection_logs (user_id, incident_type, severity, description, metadata, detection_method, action_taken, status,
            reported_by_id, ticket_id)
          values (${input.userId}, ${input.type}, ${input.severity}, ${input.description}, ${JSON.stringify(metadata)}::jsonb, ${method}, 'none', 'pending',
            ${actor.id}, ${input.ticketId ?? null})
          on conflict (user_id, incident_type) where status in ('pending', 'investigating') do nothing
          returning id`,
    );
    if (!created) throw new AppError("conflict", `An incident of type ${TYPE_WORDS(input.type)} is already open for this user`);
    await recordAudit(tx, actor, "abuse.reported", { type: "abuse_incident", id: created.id }, { detectionMethod: method, ticketId: input.ticketId ?? null, note: input.description });
    return loadIncident(tx, created.id);
  });
}
