"use client";

import { useActionState, useEffect } from "react";
import type { AdminPlanDto } from "@/lib/dal/plans";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { createPlanAction, updatePlanAction } from "../actions";
import { PlanFields } from "./plan-fields";

function AddPlanForm({ defaultDeviceLimit }: { defaultDeviceLimit: number }) {
  const [state, action] = useActionState(createPlanAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormError state={state} />
      <PlanFields state={state} defaults={{}} defaultDeviceLimit={defaultDeviceLimit} />
      <InputField
        label="Plan id (optional)"
        name="id"
        maxLength={40}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        hint="What the API calls it (letters, digits, - and _). Empty: made from the name."
        defaultValue={valueOf(state, "id") ?? ""}
        error={fieldError(state, "id")}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Adding…">Add plan</SubmitButton>
      </div>
    </form>
  );
}

export function AddPlanDialog({ defaultDeviceLimit }: { defaultDeviceLimit: number }) {
  return (
    <Dialog title="Add a plan" description="A new plan users can ask for on their plan page." triggerLabel="Add plan" triggerVariant="primary" triggerSize="md" size="lg">
      <AddPlanForm defaultDeviceLimit={defaultDeviceLimit} />
    </Dialog>
  );
}

function EditPlanForm({ plan, defaultDeviceLimit }: { plan: AdminPlanDto; defaultDeviceLimit: number }) {
  const [state, action] = useActionState(updatePlanAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={plan.id} />
      <FormError state={state} />
      <PlanFields
        state={state}
        defaultDeviceLimit={defaultDeviceLimit}
        editing
        defaults={{
          name: plan.name,
          deviceLimit: plan.deviceLimit,
          monthlyDataGb: plan.monthlyDataBytes === null ? null : plan.monthlyDataBytes / 1e9,
          deviceLifetimeDays: plan.deviceLifetimeDays,
          price: (plan.priceCents / 100).toFixed(2),
        }}
      />
      <p className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600 dark:bg-slate-800/60 dark:text-slate-400" data-testid="plan-edit-effect">
        Saving applies to all {plan.subscribers} subscriber{plan.subscribers === 1 ? "" : "s"} at once: the device limit and the price, and the data
        allowance — a subscriber already over a lower allowance is paused now, one under a higher allowance resumes. A new device lifetime applies
        only to devices added from now on.
      </p>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Saving…">Save plan</SubmitButton>
      </div>
    </form>
  );
}

export function EditPlanDialog({ plan, defaultDeviceLimit }: { plan: AdminPlanDto; defaultDeviceLimit: number }) {
  return (
    <Dialog title={`Edit the ${plan.name} plan`} triggerLabel="Edit" triggerAriaLabel={`Edit plan ${plan.name}`} size="lg">
      <EditPlanForm plan={plan} defaultDeviceLimit={defaultDeviceLimit} />
    </Dialog>
  );
}
