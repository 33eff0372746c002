import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";

export interface MeDto {
  id: string;
  email: string;
  name: string | null;
  role: UserActor["role"];
  status: UserActor["status"];
}

export async function getMe(actor: Actor): Promise<MeDto> {
  if (actor.kind !== "user") throw new AppError("forbidden", "Only a user has a profile");
  const db = await getDb();
  const [u] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.id, actor.id));
  if (!u) throw new AppError("unauthenticated", "Sign in to continue");
  return u;
}
