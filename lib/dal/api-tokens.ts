import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { preparedPer } from "@/db/prepared";
import { getDb } from "@/db/client";
import { apiTokens, users } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { recordAudit } from "@/lib/audit";
import { generateToken, hashToken } from "@/lib/crypto/tokens";
import { accountMayAuthenticate } from "./account-access";

export interface ApiTokenDto {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const columns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

function toDto(r: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): ApiTokenDto {
  return { ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null };
}

/** Creates a personal token; the plain token is returned once and never stored. */
export async function createApiToken(actor: UserActor, name: string): Promise<{ token: string; item: ApiTokenDto }> {
  const db = await getDb();
  const token = generateToken("swp");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ userId: actor.id, name, tokenHash: hashToken(token), prefix: token.slice(0, 10) })
      .returning(columns);
    await recordAudit(tx, actor, "token.created", { type: "api_token", id: row.id }, { name });
    return { token, item: toDto(row) };
  });
}

export async function listApiTokens(actor: UserActor): Promise<ApiTokenDto[]> {
  const db = await getDb();
  const list = await db.select(columns).from(apiTokens).where(eq(apiTokens.userId, actor.id)).orderBy(desc(apiTokens.createdAt));
  return list.map(toDto);
}

export async function revokeApiToken(actor: UserActor, id: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!row) throw new AppError("not_found", "Token not found");
    await recordAudit(tx, actor, "token.revoked", { type: "api_token", id });
  });
}

/** Security-critical: resolves a bearer token to its user, refusing revoked or expired tokens and banned accounts. */
const tokenCheck = preparedPer((db) =>
  db
    .select({ tokenId: apiTokens.id, expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt, id: users.id, email: users.email, role: users.role, status: users.status })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder("hash")), isNull(apiTokens.revokedAt), accountMayAuthenticate()))
    .limit(1)
    .prepare("token_check"),
);

export async function authenticateApiToken(token: string): Promise<UserActor | null> {
  const db = await getDb();
  const [row] = await tokenCheck(db).execute({ hash: hashToken(token) });
  if (!row) return null;
  if (row.expiresAt && row.expiresAt < new Date()) return null;
  // Stamp last use at most once a minute: a hot token should not write on every request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.tokenId));
  }
  return { kind: "user", id: row.id, email: row.email, role: row.role, status: row.status };
}
