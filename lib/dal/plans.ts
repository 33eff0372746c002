import "server-only";
import { asc } from "drizzle-orm";
import { getDb } from "@/db/client";
import { plans } from "@/db/schema";

export interface PlanDto {
  id: string;
  name: string;
  /** null: the environment's DEFAULT_DEVICE_LIMIT. */
  deviceLimit: number | null;
  priceCents: number;
}

/**
 * The plan catalogue (names, device limits, prices): public product
 * information, not owned by anyone, so it takes no actor. Callers that act on
 * a plan (changeUserPlan) authorize themselves.
 */
export async function listPlans(): Promise<PlanDto[]> {
  const db = await getDb();
  return db
    .select({ id: plans.id, name: plans.name, deviceLimit: plans.deviceLimit, priceCents: plans.priceCents })
    .from(plans)
    .orderBy(asc(plans.priceCents), asc(plans.name));
}
