import Link from "next/link";
import { formatRate } from "@/lib/abuse/throttle";
import type { ThrottleDto } from "@/lib/dal/abuse-throttles";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { LiftThrottleButton, ThrottleDialog, type ThrottleActions } from "./throttle-controls";

function Who({ email, fallback }: { email: string | null; fallback: string }) {
  return <>{email ?? fallback}</>;
}

/** How a past throttle ended: lifted by someone, replaced, or ran out (the expiry job records that as nobody). */
function Ended({ t }: { t: ThrottleDto }) {
  if (!t.liftedAt) return null;
  if (t.liftedBy) {
    return (
      <>
        ; lifted by {t.liftedBy} at <DateTime value={t.liftedAt} />
      </>
    );
  }
  return (
    <>
      ; ended at <DateTime value={t.liftedAt} />
    </>
  );
}

/**
 * The throttle control of a user (admin user page, incident page): what is in
 * force, by whom and until when, "Lift throttle" in one click, "Throttle
 * devices" with a rate and hours, and the latest throttles. The page passes
 * the two form actions (app/admin/abuse/actions.ts).
 */
export function ThrottlePanel<T, L>({
  actions,
  userId,
  email,
  current,
  history,
  incidentId,
}: {
  actions: ThrottleActions<T, L>;
  userId: string;
  email: string;
  current: ThrottleDto | null;
  history: ThrottleDto[];
  incidentId?: string;
}) {
  const past = history.filter((t) => !t.active);
  return (
    <Card data-testid="throttle-panel">
      <CardHeader
        title="Throttle"
        description="A temporary speed limit on every device of the account, enforced on the VPN servers at their next config sync (within a minute)."
      />
      <CardBody className="space-y-4">
        {current ? (
          <div className="space-y-1 text-sm" data-testid="throttle-current">
            <p>
              <Badge tone="warning">Throttled</Badge> <strong>{formatRate(current.rateKbit)}</strong> each way until <DateTime value={current.until} />
            </p>
            <p className="text-slate-600 dark:text-slate-400">
              Set by <Who email={current.createdBy} fallback="the automatic rule" /> at <DateTime value={current.startsAt} />
              {current.reason ? <> — “{current.reason}”</> : null}
              {current.incidentId && current.incidentId !== incidentId ? (
                <>
                  {" "}
                  (
                  <Link href={`/admin/abuse/${current.incidentId}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    incident
                  </Link>
                  )
                </>
              ) : null}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="throttle-current">
            No throttle in force: the devices run at full speed.
          </p>
        )}
        <div className="flex flex-wrap items-start gap-2">
          {current ? <LiftThrottleButton action={actions.lift} userId={userId} incidentId={incidentId} /> : null}
          <ThrottleDialog action={actions.throttle} userId={userId} incidentId={incidentId} email={email} replacing={!!current} />
        </div>
        {past.length ? (
          <div>
            <h3 className="mb-1 text-sm font-medium">Earlier throttles</h3>
            <ul className="space-y-1 text-sm text-slate-700 dark:text-slate-300" data-testid="throttle-history">
              {past.map((t) => (
                <li key={t.id}>
                  {formatRate(t.rateKbit)} from <DateTime value={t.startsAt} /> until <DateTime value={t.until} />, set by{" "}
                  <Who email={t.createdBy} fallback="the automatic rule" />
                  <Ended t={t} />
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
