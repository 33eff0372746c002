"use server";

import { redirect } from "next/navigation";
import { defineFormAction } from "@/lib/actions/define-action";
import { confirmEmailVerification } from "@/lib/services/email-verification";
import { VerifyEmailSchema } from "@/lib/validation/account-security";

/** A verification link's button: confirms the address, then on to the devices (or sign-in). */
export const verifyEmailAction = defineFormAction({ auth: "public", input: VerifyEmailSchema }, async ({ actor, input, ip }) => {
  await confirmEmailVerification(input.token, ip);
  redirect(actor ? "/devices?verified=1" : "/sign-in?verified=1");
});
