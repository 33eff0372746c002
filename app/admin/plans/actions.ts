"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { createPlan, updatePlan } from "@/lib/services/plans";
import { IdSchema } from "@/lib/validation/ids";
import { GB, MAX_DATA_GB, MAX_DEVICE_LIMIT, MAX_LIFETIME_DAYS } from "@/lib/validation/plans";

const PAGES = ["/admin/plans", "/plan", "/devices"] as const;
const FIELDS = ["id", "name", "deviceLimit", "monthlyDataGb", "deviceLifetimeDays", "price"] as const;

/** An empty field means "none": the default device limit, unlimited data, devices that never expire. */
const blankIsNull = (schema: z.ZodType<number>) => z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), schema.nullable());
const whole = (what: string, max: number) =>
  z.coerce.number({ message: `Enter a number of ${what}` }).int(`Enter a whole number of ${what}`).min(1, `At least 1`).max(max, `At most ${max.toLocaleString("en-US")}`);

/** The form's fields, in the units people type (GB, dollars); the service takes bytes and cents. */
const PlanFormSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(64, "Keep the name under 64 characters"),
  deviceLimit: blankIsNull(whole("devices", MAX_DEVICE_LIMIT)),
  monthlyDataGb: blankIsNull(whole("GB", MAX_DATA_GB)),
  deviceLifetimeDays: blankIsNull(whole("days", MAX_LIFETIME_DAYS)),
  price: z
    .string()
    .trim()
    .regex(/^\d{1,5}(\.\d{1,2})?$/, "Enter a price such as 4.99")
    .transform((v) => Math.round(Number(v) * 100)),
});

const toPlan = (f: z.output<typeof PlanFormSchema>) => ({
  name: f.name,
  deviceLimit: f.deviceLimit,
  monthlyDataBytes: f.monthlyDataGb === null ? null : f.monthlyDataGb * GB,
  deviceLifetimeDays: f.deviceLifetimeDays,
  priceCents: f.price,
});

/** "Add plan": a new plan on offer. */
export const createPlanAction = defineFormAction(
  {
    auth: "plans.manage",
    input: PlanFormSchema.extend({ id: z.preprocess((v) => (v === "" ? undefined : v), IdSchema.max(40, "At most 40 characters").optional()) }),
    values: FIELDS,
    revalidate: PAGES,
  },
  async ({ actor, input }) => {
    const plan = await createPlan(actor, { ...toPlan(input), id: input.id });
    return { name: plan.name };
  },
);

/** "Edit": every field at once; subscribers have the new limits immediately. */
export const updatePlanAction = defineFormAction(
  { auth: "plans.manage", input: PlanFormSchema.extend({ id: IdSchema }), values: FIELDS, notFound: "This plan could not be found.", revalidate: PAGES },
  async ({ actor, input: { id, ...fields } }) => {
    const plan = await updatePlan(actor, id, toPlan(fields));
    return { name: plan.name };
  },
);
