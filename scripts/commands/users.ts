import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { ROLES, users } from "@/db/schema";
import { createAccount } from "@/lib/services/accounts";
import { createApiToken } from "@/lib/dal/api-tokens";
import { EmailSchema, PasswordSchema } from "@/lib/validation/account";
import { required, UsageError, type Command } from "./types";

function parse<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`--${flag}: ${r.error.issues[0]?.message}`);
  return r.data;
}

export const userCreate: Command = {
  name: "user:create",
  summary: "Create an account",
  usage: "user:create --email E --password P [--role user|agent|admin] [--name N]",
  options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  async run(v) {
    const email = parse(EmailSchema, required(v, "email"), "email");
    const password = parse(PasswordSchema, required(v, "password"), "password");
    const role = parse(z.enum(ROLES), v.role ?? "user", "role");
    const user = await createAccount({ email, password, role, name: (v.name as string) ?? null }, { kind: "system", job: "cli" });
    console.log(`created ${user.role} ${user.email} (${user.id})`);
  },
};

export const tokenCreate: Command = {
  name: "token:create",
  summary: "Create a personal API token for an account and print it (shown once)",
  usage: "token:create --email E [--name N]",
  options: { email: { type: "string" }, name: { type: "string" } },
  async run(v) {
    const email = parse(EmailSchema, required(v, "email"), "email");
    const db = await getDb();
    const [u] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    if (!u) throw new UsageError(`no account with email ${email}`);
    const { token } = await createApiToken(
      { kind: "user", id: u.id, email: u.email, role: u.role, status: u.status },
      (v.name as string) || "cli",
    );
    console.log(token);
  },
};
