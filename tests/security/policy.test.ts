import { describe, expect, it } from "vitest";
import { ACCOUNT_STATUSES, ROLES, type Role } from "@/db/schema/users";
import { systemActor, type AgentActor, type UserActor } from "@/lib/auth/actor";
import { PERMISSIONS, authorize, authorizeUser, can, roleCan, rolesWith, type Permission } from "@/lib/auth/policy";
import { AppError } from "@/lib/errors";

/**
 * Who may do what, written out again by hand: a change to the policy module
 * that this table does not repeat fails here, so granting a role a
 * permission is a reviewed change of two files.
 */
const EXPECTED: Record<Permission, { roles: Role[]; message: string }> = {
  "support.work": { roles: ["agent", "admin"], message: "Support staff only" },
  "support.macros.manage": { roles: ["admin"], message: "Administrators only" },
  "admin.view": { roles: ["admin"], message: "Administrators only" },
  "users.manage": { roles: ["admin"], message: "Administrators only" },
  "servers.manage": { roles: ["admin"], message: "Administrators only" },
  "plans.manage": { roles: ["admin"], message: "Administrators only" },
  "abuse.manage": { roles: ["admin"], message: "Administrators only" },
  "jobs.run": { roles: ["admin"], message: "Administrators only" },
  "peers.manage_any": { roles: ["admin"], message: "Administrators only" },
};

const user = (role: Role, status: UserActor["status"] = "active"): UserActor => ({ kind: "user", id: `u-${role}-${status}`, role, status, email: `${role}@example.com` });
const agent: AgentActor = { kind: "agent", serverId: "s-1" };

function refusal(fn: () => void): AppError | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

describe("policy", () => {
  it("the table covers every permission of the module, and only those", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const permission of PERMISSIONS) {
    const { roles, message } = EXPECTED[permission];

    it(`${permission}: held by ${roles.join(", ")} unless banned`, () => {
      expect([...rolesWith(permission)].sort()).toEqual([...roles].sort());
      for (const role of ROLES) {
        expect(roleCan(role, permission), role).toBe(roles.includes(role));
        for (const status of ACCOUNT_STATUSES) {
          const actor = user(role, status);
          const allowed = status !== "banned" && roles.includes(role);
          expect(can(actor, permission), `${role}/${status}`).toBe(allowed);
          for (const check of [authorize, authorizeUser]) {
            const err = refusal(() => check(actor, permission));
            if (allowed) expect(err, `${check.name} ${role}/${status}`).toBeNull();
            else expect(err, `${check.name} ${role}/${status}`).toMatchObject({ code: "forbidden", status: 403, message });
          }
        }
      }
    });

    it(`${permission}: the system holds it, but only as trusted code, not as a person`, () => {
      const system = systemActor("test");
      expect(can(system, permission)).toBe(true);
      expect(refusal(() => authorize(system, permission))).toBeNull();
      expect(refusal(() => authorizeUser(system, permission))).toMatchObject({ code: "forbidden", message });
    });

    it(`${permission}: a VPN server's agent and nobody at all hold none`, () => {
      for (const actor of [agent, null, undefined]) {
        expect(can(actor, permission)).toBe(false);
        expect(refusal(() => authorize(actor, permission))).toMatchObject({ code: "forbidden", message });
        expect(refusal(() => authorizeUser(actor, permission))).toMatchObject({ code: "forbidden", message });
      }
    });
  }
});
