import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { listPlansForAdmin } from "@/lib/dal/plans";
import { createPlan } from "@/lib/services/plans";
import { CreatePlanSchema } from "@/lib/validation/plans";

/** GET /api/admin/plans → {items, nextCursor}: every plan with its limits, price and live subscribers. */
export const GET = withApi({ auth: "admin" }, async ({ actor }) => ({ items: await listPlansForAdmin(actor), nextCursor: null }));

/** POST /api/admin/plans {id?, name, deviceLimit?, monthlyDataBytes?, deviceLifetimeDays?, priceCents?} → 201 plan. */
export const POST = withApi({ auth: "admin", body: CreatePlanSchema }, async ({ actor, body }) =>
  NextResponse.json(await createPlan(actor, body), { status: 201 }),
);
