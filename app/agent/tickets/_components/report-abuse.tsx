import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { can } from "@/lib/auth/policy";
import { getTicketAbuseReports } from "@/lib/dal/abuse-reports";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ReportAbuseDialog } from "./report-abuse-form";

const STATUS_TONES = { pending: "warning", investigating: "info", resolved: "success", false_positive: "neutral" } as const;

/**
 * The ticket page's abuse report: turns the ticket into a user_report incident
 * against the requester's account, and lists those already filed from it.
 * Admins follow each to its incident page.
 */
export async function ReportAbuse({ ticketId, subject }: { ticketId: string; subject?: string }) {
  const viewer = await requirePermission("support.work");
  const { requester, incidents } = await getTicketAbuseReports(viewer, ticketId);
  if (!requester) return null;
  const admin = can(viewer, "abuse.manage");
  return (
    <Card className="mt-6" data-testid="report-abuse">
      <CardHeader
        title="Abuse report"
        description={`Does this ticket report abuse of ${requester.email}'s account? File it for the admins' abuse queue, linked to this ticket.`}
        actions={<ReportAbuseDialog ticketId={ticketId} userId={requester.id} email={requester.email} subject={subject ?? ""} />}
      />
      {incidents.length ? (
        <CardBody>
          <ul className="space-y-1 text-sm" data-testid="ticket-incidents">
            {incidents.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-2">
                <Badge tone={STATUS_TONES[i.status]}>{i.status.replace("_", " ")}</Badge>
                {admin ? (
                  <Link href={`/admin/abuse/${i.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    {i.incidentType.replace(/_/g, " ")}
                  </Link>
                ) : (
                  <span>{i.incidentType.replace(/_/g, " ")}</span>
                )}
                <span className="text-slate-600 dark:text-slate-400">
                  ({i.severity}) reported {i.reportedBy ? `by ${i.reportedBy} ` : ""}
                  <DateTime value={i.detectedAt} />
                </span>
              </li>
            ))}
          </ul>
        </CardBody>
      ) : null}
    </Card>
  );
}
