import "server-only";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db/client";
import { auditLog, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { validation } from "@/lib/errors";

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

/**
 * Newest first, keyset-paginated on the id (a sequence, so it follows
 * insertion order). `action` matches a prefix: "account." or "auth.sign_in_failed".
 */
export async function listAuditLog(
  actor: Actor,
  opts: { action?: string; cursor?: string | null; limit?: number } = {},
): Promise<{ items: AuditEntryDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "admin.view");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  let before: number | null = null;
  if (opts.cursor) {
    before = Number(opts.cursor);
    if (!Number.isSafeInteger(before) || before <= 0) throw validation("Invalid cursor");
  }
  const action = opts.action?.trim().slice(0, 100);
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
