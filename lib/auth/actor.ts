import "server-only";
import type { AccountStatus, Role } from "@/db/schema/users";

/** Who is acting: every DAL and service function takes one and puts it into its where clause. */
export type UserActor = { kind: "user"; id: string; role: Role; status: AccountStatus; email: string };
export type SystemActor = { kind: "system"; job: string };
export type AgentActor = { kind: "agent"; serverId: string };
export type Actor = UserActor | SystemActor | AgentActor;

export const systemActor = (job: string): SystemActor => ({ kind: "system", job });
