import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { users } from "./schema";
import { createAccount } from "@/lib/services/accounts";
import { log } from "@/lib/log";

export const DEMO_PASSWORD = "demo-password";
export const DEMO_ACCOUNTS = [
  { email: "admin@securewave.test", name: "Ada Admin", role: "admin" },
  { email: "agent@securewave.test", name: "Sam Support", role: "agent" },
  { email: "alice@securewave.test", name: "Alice Example", role: "user" },
  { email: "bob@securewave.test", name: "Bob Example", role: "user" },
] as const;

/** Demo data: the accounts of API.md (idempotent: existing accounts are left alone). */
export async function seedDemo(db: Db): Promise<{ created: number }> {
  let created = 0;
  for (const account of DEMO_ACCOUNTS) {
    const [exists] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${account.email}`);
    if (exists) continue;
    await createAccount({ ...account, password: DEMO_PASSWORD }, { kind: "system", job: "seed" });
    created++;
  }
  return { created };
}

/** Only the first start of a new embedded database seeds itself; PostgreSQL never does. */
export async function seedIfNewEmbedded(handle: { db: Db; kind: string; dataDir: string | null }) {
  if (handle.kind !== "pglite" || handle.dataDir === null) return;
  const [{ n }] = await handle.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users);
  if (n > 0) return;
  const result = await seedDemo(handle.db);
  log.info("db.seeded", result);
}
