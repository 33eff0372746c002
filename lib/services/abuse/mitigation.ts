import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { abuseDetectionLogs, users } from "@/db/schema";
import { parseAutoSuspend } from "@/lib/abuse/thresholds";
import { recordAudit } from "@/lib/audit";
import { systemActor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { setAccountStatus } from "@/lib/services/accounts";
import type { CreatedIncident } from "./record";

export const ABUSE_JOB = "abuse";

/**
 * Auto-mitigation, off unless ABUSE_AUTO_SUSPEND lists the incident's type:
 * suspends the account through setAccountStatus (its peers leave every server
 * config at the next sync; audited there), marks the incidents
 * "account_suspended" and audits each as "abuse.auto_suspended" by the system
 * job "abuse". An admin undoes it with "Restore user". Only accounts that are
 * active are touched: a banned account stays banned.
 *
 * It loops over the users of the incidents this scan just created (a handful),
 * never over the user base; a retry skips incidents already marked.
 */
export async function mitigateIncidents(created: CreatedIncident[]): Promise<number> {
  const { types, unknown } = parseAutoSuspend(getEnv().ABUSE_AUTO_SUSPEND);
  if (unknown.length) log.warn("ABUSE_AUTO_SUSPEND names unknown incident types; ignored", { unknown });
  const byUser = new Map<string, CreatedIncident[]>();
  for (const i of created) if (types.has(i.incidentType)) byUser.set(i.userId, [...(byUser.get(i.userId) ?? []), i]);
  if (byUser.size === 0) return 0;

  const db = await getDb();
  const actor = systemActor(ABUSE_JOB);
  const accounts = await db.select({ id: users.id, status: users.status }).from(users).where(inArray(users.id, [...byUser.keys()]));
  const active = new Set(accounts.filter((a) => a.status === "active").map((a) => a.id));
  let suspended = 0;
  for (const [userId, incidents] of byUser) {
    if (!active.has(userId)) continue;
    const reason = `Automatic abuse mitigation: ${[...new Set(incidents.map((i) => i.incidentType))].join(", ")}`;
    await setAccountStatus(actor, userId, "suspended", reason);
    await db.transaction(async (tx) => {
      const marked = await tx
        .update(abuseDetectionLogs)
        .set({ actionTaken: "account_suspended", updatedAt: new Date() })
        .where(and(inArray(abuseDetectionLogs.id, incidents.map((i) => i.id)), eq(abuseDetectionLogs.actionTaken, "none")))
        .returning({ id: abuseDetectionLogs.id, incidentType: abuseDetectionLogs.incidentType });
      for (const m of marked) {
        await recordAudit(tx, actor, "abuse.auto_suspended", { type: "abuse_incident", id: m.id }, { job: ABUSE_JOB, userId, incidentType: m.incidentType, reason });
      }
    });
    suspended++;
  }
  return suspended;
}
