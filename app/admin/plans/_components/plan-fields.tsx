"use client";

import { InputField } from "@/components/ui/field";
import { fieldError, valueOf, type ActionState } from "@/lib/actions/result";

export interface PlanFieldValues {
  name?: string;
  deviceLimit?: number | null;
  monthlyDataGb?: number | null;
  deviceLifetimeDays?: number | null;
  price?: string;
}

/**
 * The fields Add and Edit share. After a failed submission each shows what was typed. A plan's device lifetime
 * dates devices when they are created: editing it never re-dates existing devices, and the field says so.
 */
export function PlanFields({
  state,
  defaults,
  defaultDeviceLimit,
  editing = false,
}: {
  state: ActionState<unknown>;
  defaults: PlanFieldValues;
  defaultDeviceLimit: number;
  editing?: boolean;
}) {
  const v = (name: string, fallback: string | number | null | undefined) => valueOf(state, name) ?? (fallback == null ? "" : String(fallback));
  return (
    <>
      <InputField label="Name" name="name" required maxLength={64} autoComplete="off" defaultValue={v("name", defaults.name)} error={fieldError(state, "name")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          label="Device limit"
          name="deviceLimit"
          type="number"
          inputMode="numeric"
          min={1}
          hint={`Empty: the standard limit (${defaultDeviceLimit}).`}
          defaultValue={v("deviceLimit", defaults.deviceLimit)}
          error={fieldError(state, "deviceLimit")}
        />
        <InputField
          label="Monthly data (GB)"
          name="monthlyDataGb"
          type="number"
          inputMode="numeric"
          min={1}
          hint="Empty: unlimited. 1 GB = 10⁹ bytes."
          defaultValue={v("monthlyDataGb", defaults.monthlyDataGb)}
          error={fieldError(state, "monthlyDataGb")}
        />
        <InputField
          label="Device lifetime (days)"
          name="deviceLifetimeDays"
          type="number"
          inputMode="numeric"
          min={1}
          hint={
            editing
              ? "Only devices added from now on: existing devices keep the expiry they have. Empty: new devices never expire."
              : "Devices added on this plan expire after this. Empty: never."
          }
          defaultValue={v("deviceLifetimeDays", defaults.deviceLifetimeDays)}
          error={fieldError(state, "deviceLifetimeDays")}
        />
        <InputField
          label="Price per month (USD)"
          name="price"
          inputMode="decimal"
          required
          placeholder="4.99"
          defaultValue={v("price", defaults.price ?? "0")}
          error={fieldError(state, "price")}
        />
      </div>
    </>
  );
}
