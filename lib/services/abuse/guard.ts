import type { Actor, UserActor } from "@/lib/auth/actor";
import { forbidden } from "@/lib/errors";

/** Every read and action on incidents is for admins only; the check lives here, not only in the routes. */
export function assertAdmin(actor: Actor): asserts actor is UserActor {
  if (actor.kind !== "user" || actor.role !== "admin") throw forbidden();
}
