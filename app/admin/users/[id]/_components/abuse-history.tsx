import Link from "next/link";
import type { IncidentDto } from "@/lib/dal/abuse-incident";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { SeverityBadge, StatusBadge } from "@/app/admin/abuse/_components/incident-badges";
import { ACTION_LABELS, DETECTION_LABELS, TYPE_LABELS } from "@/app/admin/abuse/_components/labels";
import { OpenIncidentDialog } from "@/app/admin/abuse/_components/open-incident-dialog";

/** The user's abuse history (GET /api/admin/users/:id/abuse): every incident, newest first, a page at a time. */
export function AbuseHistory({
  userId,
  email,
  items,
  nextCursor,
  hasCursor,
}: {
  userId: string;
  email: string;
  items: IncidentDto[];
  nextCursor: string | null;
  hasCursor: boolean;
}) {
  return (
    <Card id="abuse-history" data-testid="abuse-history">
      <CardHeader
        title="Abuse history"
        description="Every incident of this account, newest first, whatever its status: what was seen, what was done, how it ended."
        actions={<OpenIncidentDialog userId={userId} email={email} />}
      />
      {items.length === 0 ? (
        <EmptyState title="No incidents">{hasCursor ? "No more incidents." : "Nothing has been recorded against this account."}</EmptyState>
      ) : (
        <Table label="Abuse history">
          <thead>
            <tr>
              <Th>Detected</Th>
              <Th>Type</Th>
              <Th>Severity</Th>
              <Th>Status</Th>
              <Th>What was done</Th>
              <Th>Description and resolution</Th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-testid="abuse-history-row" data-status={i.status} data-type={i.incidentType}>
                <Td>
                  <DateTime value={i.detectedAt} />
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{DETECTION_LABELS[i.detectionMethod]}</span>
                </Td>
                <Td>
                  <Link href={`/admin/abuse/${i.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    {TYPE_LABELS[i.incidentType]}
                  </Link>
                </Td>
                <Td>
                  <SeverityBadge severity={i.severity} />
                </Td>
                <Td>
                  <StatusBadge status={i.status} />
                </Td>
                <Td>
                  {ACTION_LABELS[i.actionTaken]}
                  {i.warningSent ? (
                    <span className="block text-xs text-slate-600 dark:text-slate-400">
                      Warned{i.warningSentBy ? ` by ${i.warningSentBy}` : ""}
                    </span>
                  ) : null}
                </Td>
                <Td className="max-w-96 whitespace-normal">
                  {i.description}
                  {i.resolutionNote ? <span className="mt-1 block text-slate-600 dark:text-slate-400">Resolution: {i.resolutionNote}</span> : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pagination basePath={`/admin/users/${userId}`} params={{}} nextCursor={nextCursor} hasCursor={hasCursor} />
    </Card>
  );
}
