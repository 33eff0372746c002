import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/actor";
import { getMyPlan, listMyPlanRequests } from "@/lib/dal/plans";
import { PageHeader } from "@/components/ui/page-header";
import { CurrentPlan } from "./_components/current-plan";
import { PlanOffers } from "./_components/plan-offers";
import { RequestStatus } from "./_components/request-status";

export const metadata: Metadata = { title: "Plan" };

/** The plan that applies, its use this month, the plans on offer and the latest plan change request. */
async function loadPlanPage(user: UserActor) {
  const [mine, requests] = await Promise.all([getMyPlan(user), listMyPlanRequests(user, 1)]);
  return { mine, latest: requests[0] ?? null };
}

export default async function PlanPage() {
  const user = await requireUser();
  const { mine, latest } = await loadPlanPage(user);
  return (
    <>
      <PageHeader title="Plan" description="Your plan, what you use of it this month, and the plans you can move to. An administrator confirms each change." />
      <div className="space-y-6">
        <RequestStatus pending={mine.pendingRequest} latest={latest} />
        <CurrentPlan mine={mine} />
        <PlanOffers plans={mine.available} currentPlanId={mine.plan.id} pending={mine.pendingRequest} />
      </div>
    </>
  );
}
