"use server";

import { z } from "zod";
import { defineFormAction } from "@/lib/actions/define-action";
import { resendVerificationEmail } from "@/lib/services/email-verification";

/** The unverified-address banner's "Send the link again". */
export const resendVerificationAction = defineFormAction({ auth: "user", input: z.object({}) }, async ({ actor, ip }) => resendVerificationEmail(actor, ip));
