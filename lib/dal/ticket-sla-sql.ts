import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { supportTickets as t } from "@/db/schema";
import { TICKET_PRIORITIES } from "@/db/schema/support";
import { dueSoonWindowMs, type SlaTargets } from "@/lib/support/sla";

/**
 * The SQL twins of lib/support/sla.ts's slaView, for filters and the SLA
 * monitor. Written as literals where the planner needs to see them: the
 * partial index support_tickets_queue_idx is only usable when the query
 * states its predicate word for word.
 */
export const ACTIVE_SQL = sql`${t.status} not in ('resolved','closed')`;
/** The resolution clock is running (the ticket is with support). */
const RUNNING_SQL = sql`${t.status} in ('open','in_progress','waiting_support')`;

export const tsParam = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Per-priority "due soon" window, in seconds, as a CASE over the ticket's priority. */
function windowSeconds(targets: SlaTargets, kind: "responseMs" | "resolutionMs"): SQL {
  const branches = TICKET_PRIORITIES.map((p) => sql`when ${sql.raw(`'${p}'`)} then ${sql.raw(String(dueSoonWindowMs(targets[p][kind]) / 1000))}`);
  return sql`(case ${t.priority} ${sql.join(branches, sql` `)} end)`;
}

/** Responded late, or no response yet on an active ticket whose response deadline passed. */
export function responseBreachedSql(now: Date): SQL {
  return sql`(${t.slaResponseBreached} or coalesce(${t.firstResponseAt} > ${t.slaResponseDueAt}, false) or (${ACTIVE_SQL} and ${t.firstResponseAt} is null and ${t.slaResponseDueAt} <= ${tsParam(now)}))`;
}

/** The resolution deadline passed while the clock ran (a stopped clock counts up to when it stopped). */
export function resolutionBreachedSql(now: Date): SQL {
  return sql`(${t.slaBreached} or (${ACTIVE_SQL} and ${t.slaDueAt} <= coalesce(${t.slaPausedAt}, ${tsParam(now)})))`;
}

export function breachedNowSql(now: Date): SQL {
  return sql`(${responseBreachedSql(now)} or ${resolutionBreachedSql(now)})`;
}

/** Not breached yet, but a running deadline is within its warning window. */
export function dueSoonSql(now: Date, targets: SlaTargets): SQL {
  const at = tsParam(now);
  return sql`(not ${breachedNowSql(now)} and ${ACTIVE_SQL} and (
    (${t.firstResponseAt} is null and extract(epoch from ${t.slaResponseDueAt} - ${at}) <= ${windowSeconds(targets, "responseMs")})
    or (${RUNNING_SQL} and extract(epoch from ${t.slaDueAt} - ${at}) <= ${windowSeconds(targets, "resolutionMs")})))`;
}
