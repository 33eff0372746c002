"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { updateTicket } from "@/lib/services/support";
import { UpdateTicketSchema } from "@/lib/validation/support";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const TicketId = z.string().trim().min(1).max(100);
const NOT_FOUND = "This ticket could not be found.";

function revalidate(id: string) {
  revalidatePath(`/agent/tickets/${id}`);
  revalidatePath("/agent/tickets");
}

export async function assignToMeAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const id = TicketId.safeParse(form.get("ticketId"));
  if (!id.success) return { ok: false, formError: NOT_FOUND };
  const agent = await requireRole("agent", "admin");
  try {
    await updateTicket(agent, id.data, { assignedToId: agent.id });
    revalidate(id.data);
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}

/** Status, priority and assignee in one form; fields left as they were change nothing. */
export async function updateTicketAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["status", "priority", "assignedToId"]);
  const id = TicketId.safeParse(form.get("ticketId"));
  if (!id.success) return { ok: false, formError: NOT_FOUND };
  const assignee = form.get("assignedToId");
  const parsed = UpdateTicketSchema.safeParse({
    status: form.get("status") ?? undefined,
    priority: form.get("priority") ?? undefined,
    assignedToId: assignee === null ? undefined : assignee === "" ? null : assignee,
  });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const agent = await requireRole("agent", "admin");
  try {
    await updateTicket(agent, id.data, parsed.data);
    revalidate(id.data);
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err, values);
  }
}
