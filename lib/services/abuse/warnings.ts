import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { loadIncident, type IncidentDto } from "@/lib/dal/abuse-incident";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { abuseWarningEmail } from "@/lib/email/templates/abuse-warning";
import { AppError } from "@/lib/errors";
import { safeTimeZone } from "@/lib/dal/quota-month";

/**
 * POST /api/admin/abuse/:id/warn: emails the incident's user a warning (what
 * was seen, what happens next, the throttle in force if any) through the
 * outbox, and records it on the incident: warningSent, when, by whom, and
 * actionTaken "warning_sent" unless a stronger action is already recorded.
 * Once per incident (a second click answers 409), in any status. The email
 * exists if and only if the mark does: one transaction.
 */
export async function warnIncidentUser(actor: Actor, id: string, note: string | null = null): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  const incident = await db.transaction(async (tx) => {
    const [marked] = await rows<{ id: string; email: string; incident_type: string; description: string; detected_at: string | Date; time_zone: string | null; rate_kbit: number | null; until: string | Date | null }>(
      tx,
      sql`update abuse_detection_logs l set warning_sent = true, warning_sent_at = now(), warning_sent_by_id = ${actor.id},
            action_taken = case when l.action_taken = 'none' then 'warning_sent' else l.action_taken end, updated_at = now()
          from users u
          where l.id = ${id} and u.id = l.user_id and not l.warning_sent
          returning l.id, u.email, u.time_zone, l.incident_type, l.description, l.detected_at,
            (select t.rate_kbit from user_throttles t where t.user_id = l.user_id and t.lifted_at is null and t.until > now()) as rate_kbit,
            (select t.until from user_throttles t where t.user_id = l.user_id and t.lifted_at is null and t.until > now()) as until`,
    );
    if (!marked) {
      const current = await loadIncident(tx, id);
      throw new AppError("conflict", `A warning was already sent for this incident${current.warningSentBy ? ` by ${current.warningSentBy}` : ""}`);
    }
    const email = await enqueueEmail(
      tx,
      marked.email,
      abuseWarningEmail({
        incidentType: marked.incident_type,
        description: marked.description,
        detectedAt: new Date(marked.detected_at),
        note,
        throttle: marked.rate_kbit && marked.until ? { rateKbit: Number(marked.rate_kbit), until: new Date(marked.until) } : null,
        // In the account's own zone, as the device-expiry and quota emails.
        timeZone: safeTimeZone(marked.time_zone),
      }),
    );
    await recordAudit(tx, actor, "abuse.warning_sent", { type: "abuse_incident", id }, { emailId: email.id, note });
    return loadIncident(tx, id);
  });
  await notifyOutbox();
  return incident;
}
