import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { abuseDetectionLogs } from "@/db/schema";
import { systemActor } from "@/lib/auth/actor";
import { changeUserPlan } from "@/lib/services/plans";
import { createTicket, getCustomerContext, updateTicket } from "@/lib/services/support";
import { LATEST_INCIDENTS } from "@/lib/dal/customer-context";
import { makeUser, setStatus } from "../support/factories";
import { useTempAttachmentStore } from "./helpers/support";

useTempAttachmentStore();

const H = 3_600_000;
const T0 = new Date(Date.UTC(2034, 5, 1, 12));
const at = (h: number) => new Date(T0.getTime() + h * H);

describe("customer context", () => {
  it("gathers the requester's plan, standing, other tickets and abuse history", async () => {
    const agent = await makeUser("agent");
    const u = await makeUser();
    const stranger = await makeUser();
    await changeUserPlan(systemActor("test"), u.id, "premium");
    const make = (subject: string, h: number) => createTicket(u.actor, { subject, description: "Details", category: "technical", priority: "medium" }, [], { now: at(h) });
    const current = await make("Current", 5);
    await make("Older open", 1);
    const newer = await make("Newer open", 6);
    const done = await make("Done", 2);
    const closed = await make("Closed", 3);
    await updateTicket(agent.actor, done.id, { status: "resolved" }, { now: at(7) });
    await updateTicket(agent.actor, closed.id, { status: "closed" }, { now: at(8) });
    await createTicket(stranger.actor, { subject: "Not theirs", description: "x", category: "technical", priority: "low" });

    const db = await getDb();
    const types = ["excessive_bandwidth", "rapid_reconnects", "account_sharing", "concurrent_connections"] as const;
    await db.insert(abuseDetectionLogs).values(
      types.map((incidentType, i) => ({
        userId: u.id,
        incidentType,
        severity: "medium" as const,
        description: "Secret evidence",
        status: i === 3 ? ("pending" as const) : ("resolved" as const),
        detectedAt: at(i),
      })),
    );
    await db.insert(abuseDetectionLogs).values({ userId: stranger.id, incidentType: "account_sharing", severity: "high", description: "x", detectedAt: at(9) });
    await setStatus(u.id, "suspended");

    const c = await getCustomerContext(agent.actor, current.id);
    expect(c.customer).toMatchObject({ id: u.id, email: u.email, status: "suspended" });
    expect(c.plan).toEqual({ id: "premium", name: "Premium" });
    expect(c.openTickets.map((t) => t.subject)).toEqual(["Newer open", "Older open"]);
    expect(c.openTickets[0]).toEqual({ id: newer.id, ticketNumber: newer.ticketNumber, subject: "Newer open", status: "open", createdAt: at(6).toISOString() });
    expect(c.recentTickets.map((t) => [t.subject, t.status])).toEqual([
      ["Closed", "closed"],
      ["Done", "resolved"],
    ]);
    expect(c.abuse.total).toBe(4);
    expect(c.abuse.open).toBe(1);
    expect(c.abuse.latest).toHaveLength(LATEST_INCIDENTS);
    expect(c.abuse.latest[0]).toEqual({ id: expect.any(String), incidentType: "concurrent_connections", severity: "medium", status: "pending", detectedAt: at(3).toISOString() });
    expect(JSON.stringify(c)).not.toContain("Secret evidence");
  });

  it("someone with no plan, tickets or incidents reads as the default plan and empty lists", async () => {
    const agent = await makeUser("agent");
    const u = await makeUser();
    const t = await createTicket(u.actor, { subject: "First", description: "Hello", category: "account", priority: "low" });
    const c = await getCustomerContext(agent.actor, t.id);
    expect(c.plan).toEqual({ id: "free", name: "Free" });
    expect(c.customer.status).toBe("active");
    expect([c.openTickets, c.recentTickets, c.abuse]).toEqual([[], [], { total: 0, open: 0, latest: [] }]);
  });

  it("is for support staff only; an unknown or malformed ticket is not found", async () => {
    const u = await makeUser();
    const agent = await makeUser("agent");
    const t = await createTicket(u.actor, { subject: "Mine", description: "Hello", category: "account", priority: "low" });
    await expect(getCustomerContext(u.actor, t.id)).rejects.toMatchObject({ status: 403 });
    await expect(getCustomerContext(agent.actor, "00000000-0000-0000-0000-000000000000")).rejects.toMatchObject({ status: 404 });
    await expect(getCustomerContext(agent.actor, "x\u0000y")).rejects.toMatchObject({ status: 404 });
  });
});
