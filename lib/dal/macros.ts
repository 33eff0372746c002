import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "@/db/client";
import { supportMacros as m } from "@/db/schema";
import type { TicketStatus } from "@/db/schema/support";
import type { Actor } from "@/lib/auth/actor";
import { authorize } from "@/lib/auth/policy";
import { notFound } from "@/lib/errors";
import type { MacroDto } from "@/lib/support/macros";
import { isId } from "@/lib/validation/ids";
import { decodeCursor, encodeCursor } from "./keyset-cursor";

/** Canned replies, read side: every support agent and admin reads them all (admins write them, lib/services/support/macros.ts). */
export const macroColumns = {
  id: m.id,
  name: m.name,
  body: m.body,
  setStatus: m.setStatus,
  addTags: m.addTags,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
};

type MacroRow = { id: string; name: string; body: string; setStatus: TicketStatus | null; addTags: string[]; createdAt: Date; updatedAt: Date };

export const toMacroDto = (r: MacroRow): MacroDto => ({
  id: r.id,
  name: r.name,
  body: r.body,
  setStatus: r.setStatus ?? null,
  addTags: r.addTags ?? [],
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** One macro by id, or null; for services that authorize themselves (a reply written from a macro). */
export async function findMacro(db: DbOrTx, id: string): Promise<MacroDto | null> {
  if (!isId(id)) return null;
  const [row] = await db.select(macroColumns).from(m).where(eq(m.id, id)).limit(1);
  return row ? toMacroDto(row as MacroRow) : null;
}

export async function getMacro(actor: Actor, id: string): Promise<MacroDto> {
  authorize(actor, "support.work");
  const found = await findMacro(await getDb(), id);
  if (!found) throw notFound("Macro");
  return found;
}

const nameKey = sql<string>`lower(${m.name})`;

/** Macros by name (case-insensitive), a page at a time: `{items, nextCursor}` as every list. */
export async function listMacros(actor: Actor, opts: { limit?: number; cursor?: string } = {}): Promise<{ items: MacroDto[]; nextCursor: string | null }> {
  authorize(actor, "support.work");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 200);
  const after = opts.cursor ? (([name, id]) => ({ name, id }))(decodeCursor(opts.cursor, ["text", "id"] as const)) : null;
  const db = await getDb();
  const found = (await db
    .select({ ...macroColumns, key: nameKey })
    .from(m)
    .where(and(after ? sql`(${nameKey}, ${m.id}) > (${after.name}, ${after.id})` : undefined))
    .orderBy(asc(nameKey), asc(m.id))
    .limit(limit + 1)) as Array<MacroRow & { key: string }>;
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toMacroDto),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}
