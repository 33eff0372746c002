import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ACCOUNT_STATUSES, ROLES, users, type AccountStatus, type Role } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { validation } from "@/lib/errors";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";

/** The admin users list (/admin/users). Every function here refuses non-admins itself. */
export interface AdminUserDto {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  status: AccountStatus;
  statusReason: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface AdminUserFilters {
  /** Part of an email address, case-insensitive. */
  q?: string;
  role?: Role;
  status?: AccountStatus;
  cursor?: string | null;
  limit?: number;
}

// The cursor keeps created_at at microsecond precision: a JS Date would round it and skip or repeat rows.
const createdKey = timestampKey(sql`${users.createdAt}`);

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest accounts first, keyset-paginated on (created_at, id). */
export async function listUsersForAdmin(
  actor: Actor,
  filters: AdminUserFilters = {},
): Promise<{ items: AdminUserDto[]; nextCursor: string | null }> {
  authorizeUser(actor, "users.manage");
  if (filters.role && !ROLES.includes(filters.role)) throw validation("Invalid role");
  if (filters.status && !ACCOUNT_STATUSES.includes(filters.status)) throw validation("Invalid status");
  const limit = Math.min(Math.max(filters.limit ?? 50, 1), 100);
  const after = filters.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(filters.cursor, ["time", "id"] as const)) : null;
  // Control characters match no address, and a NUL byte would be a database error: spaces (the page passes the text as typed).
  const q = filters.q?.replace(/[\u0000-\u001f\u007f]/g, " ").trim().toLowerCase().slice(0, 254);
  const db = await getDb();
  const found = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      status: users.status,
      statusReason: users.statusReason,
      createdAt: users.createdAt,
      lastLoginAt: users.lastLoginAt,
      key: createdKey,
    })
    .from(users)
    .where(
      and(
        q ? sql`lower(${users.email}) like ${`%${escapeLike(q)}%`}` : undefined,
        filters.role ? eq(users.role, filters.role) : undefined,
        filters.status ? eq(users.status, filters.status) : undefined,
        after ? sql`(${users.createdAt}, ${users.id}) < (${after.at}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      role: r.role,
      status: r.status,
      statusReason: r.statusReason,
      createdAt: r.createdAt.toISOString(),
      lastLoginAt: r.lastLoginAt ? r.lastLoginAt.toISOString() : null,
    })),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}

/** For pages and actions, which do not import @/db themselves. */
export { ROLES, ACCOUNT_STATUSES, type Role, type AccountStatus };
