import "server-only";
import { auditLog } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";

/** Security events (sign-in, tokens, roles, status, automatic actions). Never put a secret in metadata. */
export async function recordAudit(
  db: DbOrTx,
  actor: Actor | null,
  action: string,
  target?: { type: string; id: string } | null,
  metadata?: Record<string, unknown>,
  ip?: string | null,
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor?.kind === "user" ? actor.id : actor?.kind === "agent" ? actor.serverId : null,
    actorKind: actor ? actor.kind : "anonymous",
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    ip: ip ?? null,
    metadata: metadata ?? null,
  });
}
