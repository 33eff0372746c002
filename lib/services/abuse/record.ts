import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { users } from "@/db/schema";
import type { IncidentDraft } from "@/lib/abuse/evidence";
import type { IncidentType, Severity } from "@/lib/abuse/types";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { abuseCriticalEmail } from "@/lib/email/templates/abuse-critical";

/** A freshly recorded incident, as the scan passes it on (plain JSON: it crosses job steps). */
export interface CreatedIncident {
  id: string;
  userId: string;
  userEmail: string;
  incidentType: IncidentType;
  severity: Severity;
  description: string;
}

/**
 * Records one detector's incidents in one set-based statement: INSERT … SELECT
 * over the drafts, ON CONFLICT DO NOTHING against the partial unique index on
 * (user_id, incident_type) for open statuses — so a user with a pending or
 * investigating incident of this type gets no second one, even when two scans
 * race. Critical ones email every active admin in the same transaction (the
 * email exists if and only if the incidents do).
 */
export async function recordIncidents(type: IncidentType, drafts: IncidentDraft[], now: Date): Promise<CreatedIncident[]> {
  if (drafts.length === 0) return [];
  const db = await getDb();
  const created = await db.transaction(async (tx) => {
    const inserted = await rows<CreatedIncident>(
      tx,
      sql`with input as (
            select * from jsonb_to_recordset(${JSON.stringify(drafts)}::jsonb)
              as r("userId" text, severity text, description text, metadata jsonb)
          ), ins as (
            insert into abuse_detection_logs (user_id, incident_type, severity, description, metadata, detection_method, action_taken, status, detected_at)
            select r."userId", ${type}, r.severity, r.description, r.metadata, 'automated', 'none', 'pending', ${now.toISOString()}::timestamptz
            from input r
            where exists (select 1 from users u where u.id = r."userId")
            on conflict (user_id, incident_type) where status in ('pending', 'investigating') do nothing
            returning id, user_id, incident_type, severity, description
          )
          select ins.id, ins.user_id as "userId", u.email as "userEmail", ins.incident_type as "incidentType",
            ins.severity, ins.description
          from ins join users u on u.id = ins.user_id
          order by u.email`,
    );
    const critical = inserted.filter((i) => i.severity === "critical");
    if (critical.length) await alertAdmins(tx, critical);
    return inserted;
  });
  if (created.some((i) => i.severity === "critical")) await notifyOutbox();
  return created;
}

/** One email per active admin listing this detector run's critical incidents (bounded by the admins, not the incidents). */
async function alertAdmins(tx: DbOrTx, critical: CreatedIncident[]): Promise<void> {
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.status, "active")));
  for (const admin of admins) await enqueueEmail(tx, admin.email, abuseCriticalEmail(critical));
}
