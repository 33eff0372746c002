import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { supportMacros } from "@/db/schema";
import type { UserActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit";
import { authorizeUser } from "@/lib/auth/policy";
import { AppError, notFound } from "@/lib/errors";
import type { MacroDto } from "@/lib/support/macros";
import { isId } from "@/lib/validation/ids";
import type { MacroInput, MacroPatch } from "@/lib/validation/support-tools";
import { macroColumns, toMacroDto } from "@/lib/dal/macros";

const TARGET = "support_macro";

function duplicate(name: string) {
  return new AppError("duplicate_name", `A macro named "${name}" already exists`, [{ path: "name", message: "A macro with this name already exists" }]);
}

/** Admins write the canned replies agents insert; names are unique whatever their case (support_macros_name_key). */
export async function createMacro(actor: UserActor, input: MacroInput): Promise<MacroDto> {
  authorizeUser(actor, "support.macros.manage");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(supportMacros)
        .values({ name: input.name, body: input.body, setStatus: input.setStatus ?? null, addTags: input.addTags, createdById: actor.id })
        .returning(macroColumns);
      await recordAudit(tx, actor, "support_macro.created", { type: TARGET, id: row!.id }, { name: input.name });
      return toMacroDto(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, "support_macros_name_key")) throw duplicate(input.name);
    throw err;
  }
}

export async function updateMacro(actor: UserActor, id: string, patch: MacroPatch): Promise<MacroDto> {
  authorizeUser(actor, "support.macros.manage");
  if (!isId(id)) throw notFound("Macro");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(supportMacros)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.body !== undefined ? { body: patch.body } : {}),
          ...(patch.setStatus !== undefined ? { setStatus: patch.setStatus } : {}),
          ...(patch.addTags !== undefined ? { addTags: patch.addTags } : {}),
          updatedAt: new Date(),
        })
        .where(eq(supportMacros.id, id))
        .returning(macroColumns);
      if (!row) throw notFound("Macro");
      await recordAudit(tx, actor, "support_macro.updated", { type: TARGET, id }, { fields: Object.keys(patch).filter((k) => patch[k as keyof MacroPatch] !== undefined) });
      return toMacroDto(row);
    });
  } catch (err) {
    if (isUniqueViolation(err, "support_macros_name_key")) throw duplicate(patch.name ?? "");
    throw err;
  }
}

export async function deleteMacro(actor: UserActor, id: string): Promise<void> {
  authorizeUser(actor, "support.macros.manage");
  if (!isId(id)) throw notFound("Macro");
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(supportMacros).where(eq(supportMacros.id, id)).returning({ id: supportMacros.id, name: supportMacros.name });
    if (!row) throw notFound("Macro");
    await recordAudit(tx, actor, "support_macro.deleted", { type: TARGET, id }, { name: row.name });
  });
}
