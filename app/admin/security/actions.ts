"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { setStaffTwoFactorRequired } from "@/lib/services/two-factor";

/** Require two-factor of staff (agents and admins), or stop requiring it. */
export const setStaffTwoFactorAction = defineFormAction(
  { auth: "users.manage", input: z.object({ required: z.enum(["true", "false"]) }), revalidate: ["/admin/security"] },
  async ({ actor, input, ip }) => setStaffTwoFactorRequired(actor, input.required === "true", ip),
);
