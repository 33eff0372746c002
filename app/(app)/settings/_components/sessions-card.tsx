import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { RelativeTime } from "@/components/ui/relative-time";
import type { SessionDto } from "@/lib/dal/sessions";
import { deviceName } from "./device-name";
import { RevokeOtherSessionsForm } from "./revoke-other-sessions-form";
import { RevokeSessionButton } from "./revoke-session-button";

/** The browsers signed in to this account, this one first, each other one with its own sign-out. */
export function SessionsCard({ sessions, now }: { sessions: SessionDto[]; now: number }) {
  const ordered = [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Card className="lg:col-span-2" aria-labelledby="sessions-title">
      <CardHeader
        title={<span id="sessions-title">Where you&apos;re signed in</span>}
        description="Sign out of any browser you do not recognise or no longer use."
        actions={<RevokeOtherSessionsForm others={others} />}
      />
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="sessions">
        {ordered.map((s) => {
          const name = deviceName(s.userAgent);
          const where = s.ip ?? "unknown address";
          return (
            <li key={s.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-6" data-testid="session-row">
              <div className="min-w-0 text-sm">
                <p className="flex flex-wrap items-center gap-2 font-medium">
                  <span className="break-words">{name}</span>
                  {s.current ? <Badge tone="success">This device</Badge> : null}
                </p>
                <p className="mt-0.5 text-slate-600 dark:text-slate-400">
                  <span className="break-all">{where}</span>
                  <span aria-hidden="true"> · </span>
                  <span>
                    {s.current ? "active now" : <>last active <RelativeTime value={s.lastSeenAt} now={now} /></>}
                  </span>
                </p>
                <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
                  Signed in <DateTime value={s.createdAt} />
                </p>
              </div>
              {s.current ? null : <RevokeSessionButton id={s.id} label={`${name}, ${where}`} />}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
