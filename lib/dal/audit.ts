import "server-only";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { validation } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";

/** The admin audit log reader (/admin/audit). Metadata never holds secrets (see recordAudit). */
export interface AuditEntryDto {
  id: number;
  actorKind: "user" | "system" | "agent" | "anonymous";
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The target account's email when the target is a user. */
  targetEmail: string | null;
  ip: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: string;
}

const actorUser = alias(users, "actor_user");
const targetUser = alias(users, "target_user");
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface AuditFilters {
  /** A prefix of the action: "account." or "auth.sign_in_failed". */
  action?: string;
  /** Who acted: the start of an account's email, an account (or server) id, or `system`, `agent`, `anonymous`. */
  actor?: string;
  /** What was acted on: its type (`user`, `vpn_server`, …) and/or the start of a user's email or an id. */
  targetType?: string;
  target?: string;
  /** UTC days, inclusive: "2025-03-01". */
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

const ACTOR_KINDS = ["system", "agent", "anonymous"] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const TYPE = /^[a-z][a-z0-9_]{0,39}$/;

function day(v: string | undefined, name: string): string | null {
  if (!v) return null;
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw validation("Invalid date", [{ path: name, message: "Use a date (YYYY-MM-DD)" }]);
  return v;
}

/** Accounts whose email starts with the text (case-insensitive), as a sub-query of ids. */
const usersByEmail = (text: string) => sql`(select id from users where lower(email) like ${`${escapeLike(text.toLowerCase())}%`})`;

function actorWhere(actor: string | undefined) {
  const a = actor?.trim().slice(0, 254);
  if (!a) return undefined;
  if ((ACTOR_KINDS as readonly string[]).includes(a.toLowerCase())) return eq(auditLog.actorKind, a.toLowerCase() as (typeof ACTOR_KINDS)[number]);
  if (a.includes("@") || !isId(a)) return sql`${auditLog.actorId} in ${usersByEmail(a)}`;
  return sql`(${auditLog.actorId} = ${a} or ${auditLog.actorId} in ${usersByEmail(a)})`;
}

function targetWhere(type: string | undefined, target: string | undefined) {
  const t = type?.trim();
  if (t && !TYPE.test(t)) throw validation("Invalid target type", [{ path: "targetType", message: "Not a target type" }]);
  const text = target?.trim().slice(0, 254);
  if (!text) return t ? eq(auditLog.targetType, t) : undefined;
  // An email names a user; anything else is an id (of the chosen type, on the (target_type, target_id) index).
  if (text.includes("@") || !isId(text)) return and(eq(auditLog.targetType, "user"), sql`${auditLog.targetId} in ${usersByEmail(text)}`);
  return and(t ? eq(auditLog.targetType, t) : undefined, eq(auditLog.targetId, text));
}

/**
 * Newest first, keyset-paginated on the id (a sequence, so it follows
 * insertion order), filtered by action, actor, target and time, each one a
 * condition of the same statement.
 */
export async function listAuditLog(actor: Actor, opts: AuditFilters = {}): Promise<{ items: AuditEntryDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "admin.view");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  let before: number | null = null;
  if (opts.cursor) {
    before = Number(opts.cursor);
    if (!Number.isSafeInteger(before) || before <= 0) throw validation("Invalid cursor");
  }
  const action = opts.action?.trim().slice(0, 100);
  const from = day(opts.from, "from");
  const to = day(opts.to, "to");
  const db = await getDb();
  const found = await db
    .select({
      id: auditLog.id,
      actorKind: auditLog.actorKind,
      actorId: auditLog.actorId,
      actorEmail: actorUser.email,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      targetEmail: targetUser.email,
      ip: auditLog.ip,
      metadata: auditLog.metadata,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(actorUser, and(eq(auditLog.actorKind, "user"), eq(actorUser.id, auditLog.actorId)))
    .leftJoin(targetUser, and(eq(auditLog.targetType, "user"), eq(targetUser.id, auditLog.targetId)))
    .where(
      and(
        action ? sql`${auditLog.action} like ${`${escapeLike(action)}%`}` : undefined,
        actorWhere(opts.actor),
        targetWhere(opts.targetType, opts.target),
        from ? sql`${auditLog.createdAt} >= ${`${from}T00:00:00Z`}::timestamptz` : undefined,
        to ? sql`${auditLog.createdAt} < ${`${to}T00:00:00Z`}::timestamptz + interval '1 day'` : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    nextCursor: found.length > limit && last ? String(last.id) : null,
  };
}
