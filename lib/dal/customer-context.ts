import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import type { TicketStatus } from "@/db/schema/support";
import type { AccountStatus } from "@/db/schema/users";
import type { IncidentStatus, IncidentType, Severity } from "@/lib/abuse/types";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";
import { ID_PATTERN } from "@/lib/validation/support";
import { userPlanJoin } from "./quota-month";

/** Who asked, as the agent working the ticket needs to know them: plan, account standing, other tickets, abuse history. */
export interface CustomerContextDto {
  customer: { id: string; email: string; name: string | null; status: AccountStatus; statusReason: string | null; memberSince: string };
  plan: { id: string; name: string } | null;
  /** The requester's other tickets still with the team, newest first (at most OTHER_OPEN). */
  openTickets: ContextTicket[];
  /** Their latest resolved or closed tickets (at most RECENT_CLOSED). */
  recentTickets: ContextTicket[];
  abuse: { total: number; open: number; latest: ContextIncident[] };
}

export interface ContextTicket {
  id: string;
  ticketNumber: string;
  subject: string;
  status: TicketStatus;
  createdAt: string;
}

/** An incident's headline only: the evidence stays in the admin console. */
export interface ContextIncident {
  id: string;
  incidentType: IncidentType;
  severity: Severity;
  status: IncidentStatus;
  detectedAt: string;
}

export const OTHER_OPEN = 10;
export const RECENT_CLOSED = 5;
export const LATEST_INCIDENTS = 3;

const iso = (v: Date | string) => new Date(v).toISOString();

type CustomerRow = { id: string; email: string; name: string | null; status: AccountStatus; status_reason: string | null; created_at: Date | string; plan_id: string | null; plan_name: string | null };
type TicketRowLite = { id: string; ticket_number: string; subject: string; status: TicketStatus; created_at: Date | string; active: boolean };
type IncidentRowLite = { id: string; incident_type: IncidentType; severity: Severity; status: IncidentStatus; detected_at: Date | string; total: number | string; open: number | string };

/**
 * Staff only (support.work). Three statements whatever the history: the
 * requester with their plan (the same plan rule as limits and quotas,
 * userPlanJoin), their other tickets (open ones and the latest closed ones
 * in one union), and their incidents with the totals as window counts.
 */
export async function getCustomerContext(actor: Actor, ticketId: string): Promise<CustomerContextDto> {
  authorize(actor, "support.work");
  if (!ID_PATTERN.test(ticketId)) throw notFound("Ticket");
  const db = await getDb();
  const [c] = await rows<CustomerRow>(
    db,
    sql`select u.id, u.email, u.name, u.status, u.status_reason, u.created_at, pl.id as plan_id, pl.name as plan_name
        from support_tickets tk join users u on u.id = tk.user_id ${userPlanJoin}
        where tk.id = ${ticketId}`,
  );
  if (!c) throw notFound("Ticket");
  const [tickets, incidents] = await Promise.all([
    rows<TicketRowLite>(
      db,
      sql`(select id, ticket_number, subject, status, created_at, true as active from support_tickets
           where user_id = ${c.id} and id <> ${ticketId} and status not in ('resolved','closed')
           order by created_at desc, id desc limit ${OTHER_OPEN})
          union all
          (select id, ticket_number, subject, status, created_at, false as active from support_tickets
           where user_id = ${c.id} and id <> ${ticketId} and status in ('resolved','closed')
           order by created_at desc, id desc limit ${RECENT_CLOSED})`,
    ),
    rows<IncidentRowLite>(
      db,
      sql`select id, incident_type, severity, status, detected_at, count(*) over () as total,
            count(*) filter (where status in ('pending','investigating')) over () as open
          from abuse_detection_logs where user_id = ${c.id}
          order by detected_at desc, id desc limit ${LATEST_INCIDENTS}`,
    ),
  ]);
  const toTicket = (r: TicketRowLite): ContextTicket => ({ id: r.id, ticketNumber: r.ticket_number, subject: r.subject, status: r.status, createdAt: iso(r.created_at) });
  const byNewest = (a: TicketRowLite, b: TicketRowLite) => iso(b.created_at).localeCompare(iso(a.created_at));
  return {
    customer: { id: c.id, email: c.email, name: c.name, status: c.status, statusReason: c.status_reason, memberSince: iso(c.created_at) },
    plan: c.plan_id ? { id: c.plan_id, name: c.plan_name ?? c.plan_id } : null,
    openTickets: tickets.filter((r) => r.active).sort(byNewest).map(toTicket),
    recentTickets: tickets.filter((r) => !r.active).sort(byNewest).map(toTicket),
    abuse: {
      total: Number(incidents[0]?.total ?? 0),
      open: Number(incidents[0]?.open ?? 0),
      latest: incidents.map((r) => ({ id: r.id, incidentType: r.incident_type, severity: r.severity, status: r.status, detectedAt: iso(r.detected_at) })),
    },
  };
}
