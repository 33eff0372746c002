"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { resetTwoFactor } from "@/lib/services/two-factor";
import { IdSchema } from "@/lib/validation/ids";

/** Turns a user's two-factor off (a lost authenticator and no recovery code left), audited. */
export const resetTwoFactorAction = defineFormAction(
  { auth: "users.manage", input: z.object({ id: IdSchema }), notFound: "This user no longer exists.", revalidate: (i) => [`/admin/users/${i.id}`] },
  async ({ actor, input, ip }) => {
    await resetTwoFactor(actor, input.id, ip);
    return null;
  },
);
