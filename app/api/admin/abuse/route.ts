import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { listIncidents } from "@/lib/dal/abuse";
import { reportIncident } from "@/lib/services/abuse/reports";
import { IncidentListQuerySchema } from "@/lib/validation/abuse";
import { ReportIncidentSchema } from "@/lib/validation/abuse-mitigation";

/** GET /api/admin/abuse?status=&type=&severity=&limit=&cursor= → {items, nextCursor}: pending first, then investigating, then closed. */
export const GET = withApi({ auth: "admin", query: IncidentListQuerySchema }, ({ actor, query }) => listIncidents(actor, query));

/**
 * POST /api/admin/abuse {userId, type, severity, description, ticketId?} → 201 incident: `manual` (admins) or,
 * with a ticket, `user_report` (support staff too; the service decides which permission applies); 409 while
 * an incident of that type is open for that user.
 */
export const POST = withApi({ auth: "staff", body: ReportIncidentSchema }, async ({ actor, body }) =>
  NextResponse.json(await reportIncident(actor, body), { status: 201 }),
);
