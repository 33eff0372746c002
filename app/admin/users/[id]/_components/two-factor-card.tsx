import type { UserActor } from "@/lib/auth/actor";
import { getTwoFactorStatusForAdmin } from "@/lib/dal/two-factor";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { ResetTwoFactorForm } from "./reset-two-factor-form";

/** A user's two-factor sign-in as the admin sees it, and the reset for a lost authenticator (audited; the user is told by email). */
export async function TwoFactorAdminCard({ admin, userId, email }: { admin: UserActor; userId: string; email: string }) {
  const status = await getTwoFactorStatusForAdmin(admin, userId);
  return (
    <Card data-testid="user-two-factor-card">
      <CardHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Two-factor sign-in {status.enabled ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Off</Badge>}
          </span>
        }
        description="Reset it when the person lost their authenticator and has no recovery code left; they can set it up again in Settings."
      />
      <CardBody>
        {!status.enabled ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">Not set up.</p>
        ) : admin.id === userId ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            On since <DateTime value={status.enabledAt} />. This is your own account: turn it off in Settings.
          </p>
        ) : (
          <div className="space-y-3">
            <p className="text-sm text-slate-700 dark:text-slate-300">
              On since <DateTime value={status.enabledAt} />, {status.recoveryCodesLeft} recovery codes left.
            </p>
            <ResetTwoFactorForm userId={userId} email={email} />
          </div>
        )}
      </CardBody>
    </Card>
  );
}
