import { describe, expect, it } from "vitest";
import { hit, LIMITS } from "@/lib/services/rate-limit";
import * as tickets from "@/app/api/support/tickets/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

describe("rate limits", () => {
  it("a fixed window: over the limit answers 429 with Retry-After, and the next window is open again", async () => {
    const t0 = new Date("2026-11-28T10:00:00Z");
    const limit = { key: `test:${Math.random()}`, max: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) await hit(limit, t0);
    const err = await hit(limit, new Date(t0.getTime() + 20_000)).catch((e) => e);
    expect(err.code).toBe("rate_limited");
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(40);
    await expect(hit(limit, new Date(t0.getTime() + 61_000))).resolves.toBeUndefined();
  });

  it("ticket creation answers 429 with Retry-After past the limit, after validation", async () => {
    const u = await makeUser();
    const [limit] = LIMITS.ticketCreate(u.id);
    for (let i = 0; i < limit!.max; i++) await hit(limit!);
    const invalid = await call(tickets.POST, { token: u.token, body: { subject: "" } });
    expect(invalid.status).toBe(400); // bad input is refused first and uses nothing up
    const res = await call(tickets.POST, { token: u.token, body: { subject: "Help", description: "No handshake", category: "technical", priority: "low" } });
    expect(res.status).toBe(429);
    expect(res.json.error.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
