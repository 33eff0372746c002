import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { ROLE_LABELS, STATUS_LABELS, STATUS_TONES } from "../../_components/labels";
import { text, type UserReport } from "./report";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 border-b border-slate-100 py-2 last:border-b-0 sm:grid-cols-[9rem_1fr] sm:gap-3 dark:border-slate-800">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words text-sm">{children}</dd>
    </div>
  );
}

/** Who the account is: identity, role, status with its reason, dates. */
export function UserInfo({ user }: { user: UserReport["user"] }) {
  const role = text(user.role) as keyof typeof ROLE_LABELS | null;
  const status = (text(user.status) ?? "active") as keyof typeof STATUS_LABELS;
  const reason = text(user.statusReason);
  return (
    <Card data-testid="user-report-info">
      <CardHeader title="Account" />
      <CardBody>
        <dl>
          <Row label="Email">
            <span className="font-medium">{text(user.email)}</span>
          </Row>
          <Row label="Name">{text(user.name) ?? <span className="text-slate-500 dark:text-slate-400">—</span>}</Row>
          <Row label="Role">{role ? (ROLE_LABELS[role] ?? role) : "—"}</Row>
          <Row label="Status">
            <span data-testid="user-report-status">
              <Badge tone={STATUS_TONES[status] ?? "neutral"}>{STATUS_LABELS[status] ?? status}</Badge>
            </span>
            {reason && status !== "active" ? <p className="mt-1 text-slate-600 dark:text-slate-400">Reason: {reason}</p> : null}
          </Row>
          <Row label="Created">
            <DateTime value={text(user.createdAt)} />
          </Row>
          <Row label="Last sign-in">
            <DateTime value={text(user.lastLoginAt)} fallback="Never" />
          </Row>
          <Row label="User id">
            <code className="font-mono text-xs">{text(user.id)}</code>
          </Row>
        </dl>
      </CardBody>
    </Card>
  );
}
