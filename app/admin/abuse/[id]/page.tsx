import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { getIncidentDetail, RECENT_SESSIONS } from "@/lib/dal/abuse";
import { getUserThrottles } from "@/lib/dal/abuse-throttles";
import { formatRate } from "@/lib/abuse/throttle";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { EvidenceView } from "../_components/evidence-view";
import { SeverityBadge, StatusBadge } from "@/components/abuse/incident-badges";
import { ACTION_LABELS, DETECTION_LABELS, HISTORY_LABELS, TYPE_LABELS } from "@/components/abuse/labels";
import { SessionsTable } from "../_components/sessions-table";
import { IncidentActionDialog } from "../_components/incident-action-dialog";
import { ThrottlePanel } from "@/components/abuse/throttle-panel";
import { liftThrottleAction, throttleUserAction } from "../actions";

export const metadata: Metadata = { title: "Abuse incident" };

const ACCOUNT_TONES = { active: "success", suspended: "warning", banned: "danger" } as const;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requirePermission("abuse.manage");
  const { id } = await params;
  const detail = await getIncidentDetail(admin, id).catch((err: unknown) => {
    if (err instanceof AppError && (err.code === "not_found" || err.code === "validation_error")) notFound();
    throw err;
  });
  const { incident, user, sessions, history } = detail;
  const throttles = await getUserThrottles(admin, user.id);
  const open = incident.status === "pending" || incident.status === "investigating";
  const self = user.id === admin.id;
  const evidenceIds = new Set(Array.isArray(incident.metadata.sessionIds) ? incident.metadata.sessionIds.map(String) : []);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/abuse" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
          ← Abuse incidents
        </Link>
      </p>
      <PageHeader title={`${TYPE_LABELS[incident.incidentType]} — ${user.email}`} description={incident.description} />
      <div className="space-y-6">
        <Card>
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]" data-testid="incident-summary">
              <Row label="User">
                <Link href={`/admin/users/${user.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                  {user.email}
                </Link>{" "}
                <Badge tone={ACCOUNT_TONES[user.status]}>{user.status}</Badge>
                {user.status !== "active" && user.statusReason ? <span className="block text-xs text-slate-600 dark:text-slate-400">{user.statusReason}</span> : null}
              </Row>
              <Row label="Severity">
                <SeverityBadge severity={incident.severity} />
              </Row>
              <Row label="Status">
                <StatusBadge status={incident.status} />
              </Row>
              <Row label="Detected">
                <DateTime value={incident.detectedAt} />
              </Row>
              <Row label="Detection">{DETECTION_LABELS[incident.detectionMethod] ?? incident.detectionMethod}</Row>
              <Row label="Action taken">{ACTION_LABELS[incident.actionTaken]}</Row>
              <Row label="Warning">
                {incident.warningSent ? (
                  <span data-testid="incident-warning">
                    Sent{incident.warningSentBy ? ` by ${incident.warningSentBy}` : ""} at <DateTime value={incident.warningSentAt} />
                  </span>
                ) : (
                  <span data-testid="incident-warning">Not sent</span>
                )}
              </Row>
              {incident.reportedBy ? <Row label={incident.detectionMethod === "user_report" ? "Reported by" : "Opened by"}>{incident.reportedBy}</Row> : null}
              {incident.ticketId ? (
                <Row label="Ticket">
                  <Link href={`/agent/tickets/${incident.ticketId}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    {typeof incident.metadata.ticketNumber === "string" ? incident.metadata.ticketNumber : "Open the ticket"}
                  </Link>
                </Row>
              ) : null}
              {throttles.current ? (
                <Row label="Throttle">
                  {formatRate(throttles.current.rateKbit)} until <DateTime value={throttles.current.until} />
                </Row>
              ) : null}
              {incident.resolvedAt ? (
                <Row label="Closed">
                  <DateTime value={incident.resolvedAt} />
                </Row>
              ) : null}
              {incident.resolutionNote ? <Row label="Resolution note">{incident.resolutionNote}</Row> : null}
            </dl>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Actions" description={self ? "This incident is about your own account: ask another admin to suspend or restore it." : undefined} />
          <CardBody>
            <div className="flex flex-wrap gap-2" data-testid="incident-actions">
              {incident.status === "pending" ? <IncidentActionDialog incidentId={incident.id} move="investigate" /> : null}
              {!incident.warningSent ? <IncidentActionDialog incidentId={incident.id} move="warn" description={`To ${user.email}`} /> : null}
              {open ? <IncidentActionDialog incidentId={incident.id} move="resolve" /> : null}
              {open ? <IncidentActionDialog incidentId={incident.id} move="false_positive" /> : null}
              {!self && user.status === "active" ? <IncidentActionDialog incidentId={incident.id} move="suspend" description={user.email} /> : null}
              {!self && user.status === "suspended" ? <IncidentActionDialog incidentId={incident.id} move="restore" description={user.email} /> : null}
            </div>
            {!open && user.status === "active" ? <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">This incident is closed.</p> : null}
          </CardBody>
        </Card>

        <ThrottlePanel actions={{ throttle: throttleUserAction, lift: liftThrottleAction }} userId={user.id} email={user.email} current={throttles.current} history={throttles.history} incidentId={incident.id} />

        <Card>
          <CardHeader title="Evidence" description={incident.detectionMethod === "automated" ? "Why the detector raised this incident." : "What was recorded when the incident was opened."} />
          <CardBody>
            <EvidenceView metadata={incident.metadata} />
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Recent sessions" description={`The user's latest ${RECENT_SESSIONS} connections, newest first.`} />
          {sessions.length === 0 ? <EmptyState title="No sessions">This user has no recorded connection.</EmptyState> : <SessionsTable sessions={sessions} evidenceIds={evidenceIds} />}
        </Card>

        <Card>
          <CardHeader title="History" />
          <CardBody>
            {history.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">No action yet.</p>
            ) : (
              <ol className="space-y-2 text-sm" data-testid="incident-history">
                {history.map((h) => (
                  <li key={h.id}>
                    <DateTime value={h.createdAt} /> — <strong>{HISTORY_LABELS[h.action] ?? h.action}</strong>
                    {h.rateKbit ? (
                      <span>
                        {" "}
                        ({formatRate(h.rateKbit)}
                        {h.until ? (
                          <>
                            {" "}
                            until <DateTime value={h.until} />
                          </>
                        ) : null}
                        )
                      </span>
                    ) : null}
                    <span className="text-slate-600 dark:text-slate-400">
                      {" "}
                      by {h.actorKind === "system" ? (h.action === "abuse.throttle_expired" ? "the expiry job" : "the abuse scan") : (h.actorEmail ?? h.actorKind)}
                    </span>
                    {h.note ? <span className="block whitespace-pre-wrap text-slate-700 dark:text-slate-300">“{h.note}”</span> : null}
                  </li>
                ))}
              </ol>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
