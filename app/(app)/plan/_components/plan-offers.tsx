"use client";

import { useActionState } from "react";
import type { OfferedPlanDto, PlanRequestDto } from "@/lib/dal/plans";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { cn } from "@/components/ui/cn";
import { requestPlanChangeAction } from "../actions";
import { allowanceText, devicesText, lifetimeText, priceText } from "./format";

function RequestButton({ plan, blocked }: { plan: OfferedPlanDto; blocked: string | null }) {
  const [state, action] = useActionState(requestPlanChangeAction, null);
  const reasonId = `plan-${plan.id}-reason`;
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="planId" value={plan.id} />
      <FormError state={state} />
      {blocked ? (
        <>
          <button
            type="button"
            disabled
            aria-describedby={reasonId}
            className="inline-flex min-h-10 w-full items-center justify-center rounded-md border border-slate-300 px-3 text-sm font-medium opacity-60 dark:border-slate-700"
          >
            Request {plan.name}
          </button>
          <p id={reasonId} className="text-xs text-slate-500 dark:text-slate-400">
            {blocked}
          </p>
        </>
      ) : (
        <SubmitButton variant="primary" className="w-full" pendingLabel="Sending request…" aria-label={`Request the ${plan.name} plan`}>
          Request {plan.name}
        </SubmitButton>
      )}
    </form>
  );
}

/** The plans on offer; the current one is marked, every other can be requested while no request is pending. */
export function PlanOffers({ plans, currentPlanId, pending }: { plans: OfferedPlanDto[]; currentPlanId: string; pending: PlanRequestDto | null }) {
  const blocked = pending ? `Your request for ${pending.toPlanName} is waiting for a decision: cancel it to ask for another plan.` : null;
  return (
    <section aria-labelledby="plans-on-offer">
      <h2 id="plans-on-offer" className="mb-3 text-lg font-semibold">
        Plans on offer
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="plan-offers">
        {plans.map((plan) => {
          const current = plan.id === currentPlanId;
          return (
            <li key={plan.id} data-testid="plan-offer" data-plan-id={plan.id}>
              <Card className={cn("flex h-full flex-col p-4", current && "ring-2 ring-sky-500")}>
                <div className="flex items-start justify-between gap-2">
                  <h3 className="text-base font-semibold">{plan.name}</h3>
                  {current ? <Badge tone="info">Current plan</Badge> : null}
                </div>
                <p className="mt-1 text-xl font-semibold tabular-nums">{priceText(plan.priceCents)}</p>
                <ul className="mt-3 flex-1 space-y-1 text-sm text-slate-700 dark:text-slate-300">
                  <li>{devicesText(plan.effectiveDeviceLimit)}</li>
                  <li>{allowanceText(plan.monthlyDataBytes)}</li>
                  <li>{lifetimeText(plan.deviceLifetimeDays)}</li>
                </ul>
                <div className="mt-4">
                  {current ? (
                    <p className="text-sm text-slate-600 dark:text-slate-400">You are on this plan.</p>
                  ) : (
                    <RequestButton plan={plan} blocked={pending?.toPlanId === plan.id ? "You have asked for this plan; an administrator will decide." : blocked} />
                  )}
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
