import Link from "next/link";
import { formatRate } from "@/lib/abuse/throttle";
import type { UserIncidentDto } from "@/lib/dal/abuse-history";
import type { ThrottleDto } from "@/lib/dal/abuse-throttles";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { Table, Td, Th } from "@/components/ui/table";
import { SeverityBadge, StatusBadge } from "@/components/abuse/incident-badges";
import { ACTION_LABELS, DETECTION_LABELS, TYPE_LABELS } from "@/components/abuse/labels";
import { OpenIncidentDialog } from "@/components/abuse/open-incident-dialog";
import { openIncidentAction } from "@/app/admin/abuse/actions";

/**
 * A throttle linked to the incident, in a line: actionTaken has no "throttled"
 * value, so this is what tells a throttle-only incident from one where nothing
 * was done. In force: until when; ended: how (lifted by someone, or ran out).
 */
function ThrottleLine({ t }: { t: ThrottleDto }) {
  const by = t.createdBy ? ` by ${t.createdBy}` : " automatically";
  if (t.active) {
    return (
      <span className="block" data-testid="abuse-history-throttle" data-active="true">
        Throttled to {formatRate(t.rateKbit)} until <DateTime value={t.until} />
        <span className="block text-xs text-slate-600 dark:text-slate-400">Set{by}; in force</span>
      </span>
    );
  }
  return (
    <span className="block" data-testid="abuse-history-throttle" data-active="false">
      Throttled to {formatRate(t.rateKbit)} until <DateTime value={t.until} />
      <span className="block text-xs text-slate-600 dark:text-slate-400">
        Set{by};{" "}
        {t.liftedBy && t.liftedAt ? (
          <>
            lifted by {t.liftedBy} at <DateTime value={t.liftedAt} />
          </>
        ) : (
          <>
            ended at <DateTime value={t.liftedAt ?? t.until} />
          </>
        )}
      </span>
    </span>
  );
}

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
  items: UserIncidentDto[];
  nextCursor: string | null;
  hasCursor: boolean;
}) {
  return (
    <Card id="abuse-history" data-testid="abuse-history">
      <CardHeader
        title="Abuse history"
        description="Every incident of this account, newest first, whatever its status: what was seen, what was done, how it ended."
        actions={<OpenIncidentDialog action={openIncidentAction} userId={userId} email={email} />}
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
                  {/* A throttle is what was done even while actionTaken says "none". */}
                  {i.actionTaken !== "none" || i.throttles.length === 0 ? ACTION_LABELS[i.actionTaken] : null}
                  {i.throttles.map((t) => (
                    <ThrottleLine key={t.id} t={t} />
                  ))}
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
