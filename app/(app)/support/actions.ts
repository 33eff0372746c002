"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { rateTicket, updateTicket } from "@/lib/services/support";
import { RatingSchema } from "@/lib/validation/support";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const TicketId = z.string().trim().min(1).max(100);

/** The requester closes their own ticket. */
export async function closeTicketAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const id = TicketId.safeParse(form.get("ticketId"));
  if (!id.success) return { ok: false, formError: "This ticket could not be found." };
  const user = await requireUser();
  try {
    await updateTicket(user, id.data, { status: "closed" });
    revalidatePath(`/support/${id.data}`);
    revalidatePath("/support");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}

/** The requester's rating, from the ticket page or the emailed link's page: saved only on this POST. */
export async function rateTicketAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["feedback"]);
  const id = TicketId.safeParse(form.get("ticketId"));
  if (!id.success) return { ok: false, formError: "This ticket could not be found." };
  const parsed = RatingSchema.safeParse({ rating: form.get("rating") ?? undefined, feedback: form.get("feedback") ?? undefined });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const user = await requireUser();
  try {
    await rateTicket(user, id.data, parsed.data);
    revalidatePath(`/support/${id.data}`);
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err, values);
  }
}
