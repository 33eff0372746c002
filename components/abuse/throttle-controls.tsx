"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf, type ActionResult, type ActionState } from "@/lib/actions/result";
import { THROTTLE_MAX_HOURS, THROTTLE_MAX_KBIT, THROTTLE_MIN_KBIT } from "@/lib/validation/abuse-mitigation";

/** A form action (defineFormAction) passed by the page: a shared component imports no page's actions. */
type FormAction<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

/** throttleUserAction and liftThrottleAction (app/admin/abuse/actions.ts). */
export interface ThrottleActions<T, L> {
  throttle: FormAction<T>;
  lift: FormAction<L>;
}

function ThrottleForm<T>({ action: throttle, userId, incidentId, replacing }: { action: FormAction<T>; userId: string; incidentId?: string; replacing: boolean }) {
  const [state, action] = useActionState(throttle, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4" data-testid="throttle-form">
      <input type="hidden" name="userId" value={userId} />
      {incidentId ? <input type="hidden" name="incidentId" value={incidentId} /> : null}
      <FormError state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          label="Rate (kbit/s)"
          name="rateKbit"
          type="number"
          inputMode="numeric"
          min={THROTTLE_MIN_KBIT}
          max={THROTTLE_MAX_KBIT}
          step={1}
          required
          defaultValue={valueOf(state, "rateKbit") ?? "1000"}
          hint="Each way, per device: 1000 kbit/s = 1 Mbit/s."
          error={fieldError(state, "rateKbit")}
        />
        <InputField
          label="Hours"
          name="hours"
          type="number"
          inputMode="decimal"
          min={0.1}
          max={THROTTLE_MAX_HOURS}
          step="any"
          required
          defaultValue={valueOf(state, "hours") ?? "24"}
          hint={`From now; at most ${THROTTLE_MAX_HOURS} (30 days).`}
          error={fieldError(state, "hours")}
        />
      </div>
      <InputField label="Reason (optional)" name="reason" maxLength={500} defaultValue={valueOf(state, "reason")} error={fieldError(state, "reason")} hint="Recorded in the audit log and shown to other admins." />
      {replacing ? <p className="text-sm text-slate-600 dark:text-slate-400">This replaces the throttle in force.</p> : null}
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Throttling…">
          Throttle devices
        </SubmitButton>
      </div>
    </form>
  );
}

/** "Throttle devices": rate and hours behind a dialog; every device of the user, enforced by the servers at their next sync. */
export function ThrottleDialog<T>({
  action,
  userId,
  incidentId,
  email,
  replacing = false,
}: {
  action: FormAction<T>;
  userId: string;
  incidentId?: string;
  email: string;
  replacing?: boolean;
}) {
  return (
    <Dialog title="Throttle the user's devices" description={email} triggerLabel={replacing ? "Change throttle" : "Throttle devices"} triggerVariant={replacing ? "secondary" : "danger"} triggerSize="md">
      <ThrottleForm action={action} userId={userId} incidentId={incidentId} replacing={replacing} />
    </Dialog>
  );
}

/** "Lift throttle": one click, the devices return to full speed at the servers' next sync. */
export function LiftThrottleButton<L>({ action: lift, userId, incidentId }: { action: FormAction<L>; userId: string; incidentId?: string }) {
  const [state, action] = useActionState(lift, null);
  return (
    <form action={action} className="inline-flex flex-col gap-2">
      <input type="hidden" name="userId" value={userId} />
      {incidentId ? <input type="hidden" name="incidentId" value={incidentId} /> : null}
      <FormError state={state} />
      <SubmitButton variant="primary" pendingLabel="Lifting…">
        Lift throttle
      </SubmitButton>
    </form>
  );
}
