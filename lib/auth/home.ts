import type { Role } from "@/db/schema/users";

/** Where each role lands after sign-in: customers on their devices, agents on the queue, admins on the dashboard. */
export function homePathFor(role: Role): string {
  return role === "admin" ? "/admin" : role === "agent" ? "/agent/tickets" : "/devices";
}
