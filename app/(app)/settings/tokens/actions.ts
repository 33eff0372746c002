"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { createApiToken, revokeApiToken } from "@/lib/dal/api-tokens";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const CreateTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(100, "Name is too long"),
});

const RevokeTokenSchema = z.object({ id: z.string().min(1).max(100) });

export type CreatedToken = { token: string; name: string };

export async function createApiTokenAction(_prev: ActionState<CreatedToken>, form: FormData): Promise<ActionResult<CreatedToken>> {
  const values = pickValues(form, ["name"]);
  const parsed = CreateTokenSchema.safeParse({ name: form.get("name") });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const user = await requireUser();
  try {
    const { token, item } = await createApiToken(user, parsed.data.name);
    revalidatePath("/settings/tokens");
    return { ok: true, data: { token, name: item.name } };
  } catch (err) {
    return actionFailure(err, values);
  }
}

export async function revokeApiTokenAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const parsed = RevokeTokenSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { ok: false, formError: "This token could not be found." };
  const user = await requireUser();
  try {
    await revokeApiToken(user, parsed.data.id);
    revalidatePath("/settings/tokens");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}
