import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/me/route";
import { revokeApiToken } from "@/lib/dal/api-tokens";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { eq } from "drizzle-orm";
import { call } from "../support/api";
import { makeUser, setStatus } from "../support/factories";

describe("GET /api/me", () => {
  it("answers the caller for a personal token", async () => {
    const u = await makeUser("agent");
    const res = await call(GET, { path: "/api/me", token: u.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: u.id, email: u.email, name: u.name, role: "agent", status: "active" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("answers 401 with the error shape without credentials, or with a malformed or unknown token", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer nonsense" }, { authorization: "Basic abc" }, { authorization: `Bearer swp_${"A".repeat(43)}` }]) {
      const res = await call(GET, { path: "/api/me", headers });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("unauthenticated");
      expect(typeof res.json.error.message).toBe("string");
    }
  });

  it("refuses an agent token outside /api/agent", async () => {
    const res = await call(GET, { path: "/api/me", token: `swa_${"B".repeat(43)}` });
    expect(res.status).toBe(401);
  });

  it("stops a revoked token and a banned account's token at once", async () => {
    const u = await makeUser();
    expect((await call(GET, { token: u.token })).status).toBe(200);
    await setStatus(u.id, "banned");
    expect((await call(GET, { token: u.token })).status).toBe(401);
    await setStatus(u.id, "active");
    const db = await getDb();
    const [t] = await db.select().from(apiTokens).where(eq(apiTokens.userId, u.id));
    await revokeApiToken(u.actor, t.id);
    expect((await call(GET, { token: u.token })).status).toBe(401);
  });
});
