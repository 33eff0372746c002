import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { getMe } from "@/lib/dal/users";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";

export const metadata: Metadata = { title: "Settings" };

const ROLE_LABEL = { user: "User", agent: "Support agent", admin: "Administrator" } as const;
const STATUS_TONE = { active: "success", suspended: "warning", banned: "danger" } as const;

export default async function SettingsPage() {
  const me = await getMe(await requireUser());
  return (
    <>
      <PageHeader title="Settings" description="Your profile and access to the SecureWave API." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Profile" />
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[8rem_1fr]" data-testid="profile">
              <dt className="font-medium text-slate-600 dark:text-slate-400">Name</dt>
              <dd className="break-words">{me.name ?? "—"}</dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Email</dt>
              <dd className="break-all">{me.email}</dd>
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
      </div>
    </>
  );
}
