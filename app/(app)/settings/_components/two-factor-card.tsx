import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import type { TwoFactorStatusDto } from "@/lib/dal/two-factor";
import { DisableTwoFactorForm } from "./disable-two-factor-form";
import { TwoFactorEnrol } from "./two-factor-enrol";

/** Two-factor sign-in: set it up (QR code, key, first code, recovery codes) or, when on, its state and how to turn it off. */
export function TwoFactorCard({ status, required }: { status: TwoFactorStatusDto; required: boolean }) {
  return (
    <Card aria-labelledby="two-factor-title" data-testid="two-factor-card">
      <CardHeader
        title={
          <span id="two-factor-title" className="flex flex-wrap items-center gap-2">
            Two-factor sign-in
            {status.enabled ? <Badge tone="success">On</Badge> : <Badge tone="neutral">Off</Badge>}
          </span>
        }
        description="A code from an authenticator app on your phone, asked for after your password."
      />
      <CardBody className="space-y-4">
        {status.enabled ? (
          <>
            <p className="text-sm text-slate-700 dark:text-slate-300">
              On since <DateTime value={status.enabledAt} />.{" "}
              <span data-testid="recovery-codes-left">
                {status.recoveryCodesLeft === 1 ? "1 recovery code left." : `${status.recoveryCodesLeft} recovery codes left.`}
              </span>
            </p>
            {required ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">Your administrators require two-factor sign-in for staff accounts.</p>
            ) : (
              <DisableTwoFactorForm />
            )}
          </>
        ) : (
          <TwoFactorEnrol />
        )}
      </CardBody>
    </Card>
  );
}
