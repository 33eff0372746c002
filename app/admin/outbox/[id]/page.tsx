import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { getOutboxEmail } from "@/lib/dal/outbox";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { OUTBOX_LABELS, OUTBOX_TONES } from "../status";

export const metadata: Metadata = { title: "Email" };

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requirePermission("admin.view");
  const { id } = await params;
  const email = await getOutboxEmail(admin, id).catch((err: unknown) => {
    if (err instanceof AppError && (err.code === "not_found" || err.code === "validation_error")) notFound();
    throw err;
  });

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/outbox" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
          ← Outbox
        </Link>
      </p>
      <PageHeader title={email.subject} />
      <div className="space-y-6">
        <Card>
          <CardBody>
            <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[9rem_1fr]">
              <dt className="font-medium text-slate-600 dark:text-slate-400">To</dt>
              <dd className="break-all">{email.to}</dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Template</dt>
              <dd>
                <code className="font-mono text-xs">{email.template}</code>
              </dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Status</dt>
              <dd>
                <Badge tone={OUTBOX_TONES[email.status]}>{OUTBOX_LABELS[email.status]}</Badge>
              </dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Attempts</dt>
              <dd>{email.attempts}</dd>
              {email.lastError ? (
                <>
                  <dt className="font-medium text-slate-600 dark:text-slate-400">Last error</dt>
                  <dd className="break-words text-red-700 dark:text-red-400">{email.lastError}</dd>
                </>
              ) : null}
              <dt className="font-medium text-slate-600 dark:text-slate-400">Created</dt>
              <dd>
                <DateTime value={email.createdAt} />
              </dd>
              <dt className="font-medium text-slate-600 dark:text-slate-400">Sent</dt>
              <dd>
                <DateTime value={email.sentAt} />
              </dd>
            </dl>
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="HTML" description="Rendered in a sandbox: no scripts, no forms, no access to this site." />
          <CardBody>
            {/* sandbox="" denies everything; the email's HTML is treated as untrusted. */}
            <iframe
              sandbox=""
              srcDoc={email.html}
              title={`HTML of the email “${email.subject}”`}
              referrerPolicy="no-referrer"
              className="h-[32rem] w-full rounded-md border border-slate-200 bg-white dark:border-slate-700"
              data-testid="email-html"
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Plain text" />
          <CardBody>
            <pre className="overflow-x-auto whitespace-pre-wrap break-words font-mono text-xs" data-testid="email-text">
              {email.text}
            </pre>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
