import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { abuseDetectionLogs, users } from "@/db/schema";
import { OPEN_STATUSES } from "@/lib/abuse/types";
import { recordAudit } from "@/lib/audit";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { loadIncident, type IncidentDto } from "@/lib/dal/abuse-incident";
import { AppError, notFound } from "@/lib/errors";
import { setAccountStatus } from "@/lib/services/accounts";

/**
 * What an admin does with an incident. Each checks the admin itself, changes
 * the incident only from the statuses the move makes sense from (a second
 * click answers 409, never a silent double change), and audits the move with
 * its note under target "abuse_incident" — the incident page's history.
 */
const l = abuseDetectionLogs;
const TARGET = "abuse_incident";

async function conflictOrMissing(db: DbOrTx, id: string, what: string): Promise<never> {
  const current = await loadIncident(db, id);
  throw new AppError("conflict", `This incident is ${current.status.replace("_", " ")}; it cannot be ${what}`);
}

export async function investigateIncident(actor: Actor, id: string, note: string | null = null): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(l)
      .set({ status: "investigating", updatedAt: new Date() })
      .where(and(eq(l.id, id), eq(l.status, "pending")))
      .returning({ id: l.id });
    if (!moved) return conflictOrMissing(tx, id, "moved to investigating");
    await recordAudit(tx, actor, "abuse.investigating", { type: TARGET, id }, { note });
    return loadIncident(tx, id);
  });
}

export async function resolveIncident(
  actor: Actor,
  id: string,
  input: { status: "resolved" | "false_positive"; note: string },
): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [moved] = await tx
      .update(l)
      .set({ status: input.status, resolvedAt: new Date(), resolvedById: actor.id, resolutionNote: input.note, updatedAt: new Date() })
      .where(and(eq(l.id, id), inArray(l.status, [...OPEN_STATUSES])))
      .returning({ id: l.id });
    if (!moved) return conflictOrMissing(tx, id, "closed again");
    await recordAudit(tx, actor, input.status === "resolved" ? "abuse.resolved" : "abuse.false_positive", { type: TARGET, id }, { note: input.note });
    return loadIncident(tx, id);
  });
}

async function incidentUser(actor: UserActor, id: string) {
  const db = await getDb();
  const incident = await loadIncident(db, id);
  const [user] = await db.select({ id: users.id, status: users.status }).from(users).where(eq(users.id, incident.userId));
  if (!user) throw notFound("User");
  if (user.id === actor.id) throw new AppError("forbidden", "You cannot change your own status");
  return { db, incident, user };
}

/** Suspends the incident's user (peers leave the server configs at the next sync) and marks the incident. */
export async function suspendIncidentUser(actor: Actor, id: string, note: string): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  const { db, incident, user } = await incidentUser(actor, id);
  if (user.status !== "active") throw new AppError("conflict", `The account is already ${user.status}`);
  await setAccountStatus(actor, user.id, "suspended", note);
  return db.transaction(async (tx) => {
    await tx.update(l).set({ actionTaken: "account_suspended", updatedAt: new Date() }).where(eq(l.id, incident.id));
    await recordAudit(tx, actor, "abuse.user_suspended", { type: TARGET, id: incident.id }, { userId: user.id, note });
    return loadIncident(tx, incident.id);
  });
}

/** Undoes a suspension (automatic or not): the account is active again and its peers return at the next sync. */
export async function restoreIncidentUser(actor: Actor, id: string, note: string | null = null): Promise<IncidentDto> {
  authorizeUser(actor, "abuse.manage");
  const { db, incident, user } = await incidentUser(actor, id);
  if (user.status !== "suspended") throw new AppError("conflict", user.status === "active" ? "The account is already active" : `The account is ${user.status}; change it on the users page`);
  await setAccountStatus(actor, user.id, "active", note);
  await recordAudit(db, actor, "abuse.user_restored", { type: TARGET, id: incident.id }, { userId: user.id, note });
  return loadIncident(db, incident.id);
}
