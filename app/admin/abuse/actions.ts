"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { triggerJob } from "@/lib/jobs/trigger";
import { investigateIncident, resolveIncident, restoreIncidentUser, suspendIncidentUser } from "@/lib/services/abuse/incidents";
import {
  IncidentIdSchema,
  InvestigateIncidentSchema,
  ResolveIncidentSchema,
  RestoreIncidentUserSchema,
  SuspendIncidentUserSchema,
} from "@/lib/validation/abuse";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

/** One action per move on an incident; each parses, checks the admin, calls the one service function, revalidates. */
const WithId = z.object({ incidentId: IncidentIdSchema });
const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : undefined;
};

function revalidate(id: string) {
  revalidatePath("/admin/abuse");
  revalidatePath(`/admin/abuse/${id}`);
}

async function run(form: FormData, schema: z.ZodType, input: Record<string, unknown>, fn: (admin: Awaited<ReturnType<typeof requireRole>>, id: string, data: never) => Promise<unknown>): Promise<ActionResult> {
  const values = pickValues(form, ["note", "status"]);
  const id = WithId.safeParse({ incidentId: field(form, "incidentId") });
  const parsed = schema.safeParse(input);
  if (!id.success) return { ok: false, formError: "Unknown incident.", values };
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  try {
    await fn(admin, id.data.incidentId, parsed.data as never);
    revalidate(id.data.incidentId);
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err, values);
  }
}

export async function investigateIncidentAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return run(form, InvestigateIncidentSchema, { note: field(form, "note") }, (admin, id, data: { note: string | null }) => investigateIncident(admin, id, data.note));
}

export async function resolveIncidentAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return run(form, ResolveIncidentSchema, { status: field(form, "status"), note: field(form, "note") ?? "" }, (admin, id, data: { status: "resolved" | "false_positive"; note: string }) =>
    resolveIncident(admin, id, data),
  );
}

export async function suspendIncidentUserAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return run(form, SuspendIncidentUserSchema, { note: field(form, "note") ?? "" }, (admin, id, data: { note: string }) => suspendIncidentUser(admin, id, data.note));
}

export async function restoreIncidentUserAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  return run(form, RestoreIncidentUserSchema, { note: field(form, "note") }, (admin, id, data: { note: string | null }) => restoreIncidentUser(admin, id, data.note));
}

/** "Run scan now": the same as Run now on /admin/jobs for the abuse job. */
export async function runAbuseScanAction(): Promise<ActionResult<{ runId: string }>> {
  const admin = await requireRole("admin");
  try {
    const { runId } = await triggerJob("abuse", admin);
    revalidatePath("/admin/jobs");
    return { ok: true, data: { runId } };
  } catch (err) {
    return actionFailure(err);
  }
}
