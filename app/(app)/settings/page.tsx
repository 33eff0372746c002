import type { Metadata } from "next";
import Link from "next/link";
import { getCurrentSession, requireUser } from "@/lib/auth/session";
import { getMe } from "@/lib/dal/users";
import { listOpenSessions } from "@/lib/dal/sessions";
import { getTwoFactorStatus, isStaffTwoFactorRequired } from "@/lib/dal/two-factor";
import { emailVerificationPending } from "@/lib/dal/email-verification";
import { roleCan } from "@/lib/auth/policy";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { SessionsCard } from "./_components/sessions-card";
import { ChangePasswordForm } from "./_components/change-password-form";
import { TwoFactorCard } from "./_components/two-factor-card";
import { DeleteAccount } from "./_components/delete-account";

export const metadata: Metadata = { title: "Settings" };

const ROLE_LABEL = { user: "User", agent: "Support agent", admin: "Administrator" } as const;
const STATUS_TONE = { active: "success", suspended: "warning", banned: "danger" } as const;

/** The profile, the open sessions (this one marked) and `renderedAt`, which anchors "5 min ago" for the whole page. */
async function loadSettings() {
  const actor = await requireUser();
  const current = await getCurrentSession();
  const [me, sessions, twoFactor, staffMustUseTwoFactor, unverified] = await Promise.all([
    getMe(actor),
    listOpenSessions(actor, current?.sessionId ?? null),
    getTwoFactorStatus(actor),
    isStaffTwoFactorRequired(),
    emailVerificationPending(actor),
  ]);
  const twoFactorRequired = staffMustUseTwoFactor && roleCan(actor.role, "support.work");
  return { me, sessions, twoFactor, twoFactorRequired, unverified, renderedAt: Date.now() };
}

export default async function SettingsPage() {
  const { me, sessions, twoFactor, twoFactorRequired, unverified, renderedAt } = await loadSettings();
  return (
    <>
      <PageHeader title="Settings" description="Your profile, how you sign in, where you are signed in, and access to the SecureWave API." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Profile" />
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[8rem_1fr]" data-testid="profile">
              <dt className="font-medium text-slate-600 dark:text-slate-400">Name</dt>
              <dd className="break-words">{me.name ?? "—"}</dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Email</dt>
              <dd className="break-all">
                {me.email} {unverified ? <Badge tone="warning">not confirmed</Badge> : null}
              </dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Role</dt>
              <dd>{ROLE_LABEL[me.role]}</dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Account status</dt>
              <dd>
                <Badge tone={STATUS_TONE[me.status]}>{me.status}</Badge>
              </dd>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="API tokens" description="Personal tokens let scripts use the SecureWave API as you." />
          <CardBody>
            <Link href="/settings/tokens" className={buttonClasses("secondary")}>
              Manage API tokens
            </Link>
          </CardBody>
        </Card>
        <Card aria-labelledby="password-title">
          <CardHeader title={<span id="password-title">Password</span>} description="Changing it signs you out everywhere else." />
          <CardBody>
            <ChangePasswordForm />
          </CardBody>
        </Card>
        <TwoFactorCard status={twoFactor} required={twoFactorRequired} />
        <SessionsCard sessions={sessions} now={renderedAt} />
        <DeleteAccount />
      </div>
    </>
  );
}
