"use client";

import { useActionState } from "react";
import { SelectField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { formatMoney } from "@/components/charts/format";
import type { PlanDto } from "@/lib/dal/plans";
import { changeUserPlanAction } from "../actions";

/** Moves the user's live subscription to another plan (or starts one). */
export function ChangePlanForm({ userId, plans, currentPlanId }: { userId: string; plans: PlanDto[]; currentPlanId: string | null }) {
  const [state, action] = useActionState(changeUserPlanAction, null);
  const selected = valueOf(state, "planId") ?? currentPlanId ?? "";
  const done = state?.ok ? plans.find((p) => p.id === state.data.planId) : undefined;
  return (
    <form action={action} className="space-y-3" data-testid="change-plan-form">
      <input type="hidden" name="id" value={userId} />
      <FormError state={state} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        {/* Keyed so it remounts with the current or submitted plan: React's form reset restores a select to its mount-time default. */}
        <SelectField key={selected} label="Plan" name="planId" defaultValue={selected} error={fieldError(state, "planId")} fieldClassName="flex-1">
          {currentPlanId ? null : <option value="">Choose a plan</option>}
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} — {formatMoney(p.priceCents)}/month, {p.deviceLimit === null ? "default device limit" : `${p.deviceLimit} devices`}
            </option>
          ))}
        </SelectField>
        <SubmitButton pendingLabel="Changing…">Change plan</SubmitButton>
      </div>
      <p aria-live="polite" className="text-sm text-emerald-700 dark:text-emerald-400">
        {done ? `Moved to the ${done.name} plan.` : null}
      </p>
    </form>
  );
}
