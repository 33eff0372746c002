import { AppError } from "@/lib/errors";
import type { Role } from "@/db/schema/users";
import type { Actor, SystemActor, UserActor } from "./actor";

/**
 * Security-critical: who may do what, in one place. Pages, server actions
 * (defineAction), route handlers (withApi), services and data access all ask
 * this module; none of them compares roles itself. Ownership ("your own
 * device", "your own ticket") is not a permission: it is the `where` clause
 * of the data access that reads the resource.
 */
const RULES = {
  /** The ticket queue: every ticket, internal notes, assignment, SLA stats. */
  "support.work": ["agent", "admin"],
  /** Writing the helpdesk's canned replies (macros); agents read and use them through support.work. */
  "support.macros.manage": ["admin"],
  /** The admin console's read-only views: dashboard, reports, audit log, outbox, peers. */
  "admin.view": ["admin"],
  "users.manage": ["admin"],
  "servers.manage": ["admin"],
  "plans.manage": ["admin"],
  "abuse.manage": ["admin"],
  "jobs.run": ["admin"],
  /** Settings of anyone's device (an expiry set by an admin). */
  "peers.manage_any": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof RULES;

/** Every permission, for tests that must cover each one. */
export const PERMISSIONS = Object.keys(RULES) as Permission[];

const MESSAGES: Record<Permission, string> = {
  "support.work": "Support staff only",
  "support.macros.manage": "Administrators only",
  "admin.view": "Administrators only",
  "users.manage": "Administrators only",
  "servers.manage": "Administrators only",
  "plans.manage": "Administrators only",
  "abuse.manage": "Administrators only",
  "jobs.run": "Administrators only",
  "peers.manage_any": "Administrators only",
};

/** Roles holding a permission: for pages that list what a role can reach (navigation). */
export const rolesWith = (permission: Permission): readonly Role[] => RULES[permission];

/**
 * Whether the actor holds the permission. A banned account holds none. Jobs
 * and the operator CLI act as the system, which is trusted code; a VPN
 * server's agent holds none of these. For a user it is a plain boolean: as a
 * type guard, `false` would narrow a user without the permission to `never`.
 */
export function can(actor: UserActor, permission: Permission): boolean;
export function can(actor: Actor | null | undefined, permission: Permission): actor is UserActor | SystemActor;
export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  if (!actor) return false;
  if (actor.kind === "system") return true;
  if (actor.kind !== "user" || actor.status === "banned") return false;
  return (RULES[permission] as readonly Role[]).includes(actor.role);
}

export function roleCan(role: Role, permission: Permission): boolean {
  return (RULES[permission] as readonly Role[]).includes(role);
}

/** `can`, or 403 with the same message at every door. */
export function authorize(actor: Actor | null | undefined, permission: Permission): asserts actor is UserActor | SystemActor {
  if (!can(actor, permission)) throw new AppError("forbidden", MESSAGES[permission]);
}

/** As `authorize`, for what only a person may do (the audit needs their id). */
export function authorizeUser(actor: Actor | null | undefined, permission: Permission): asserts actor is UserActor {
  if (!actor || actor.kind !== "user" || !can(actor, permission)) throw new AppError("forbidden", MESSAGES[permission]);
}
