import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox, users } from "@/db/schema";
import * as abuseRoute from "@/app/api/admin/abuse/route";
import * as warnRoute from "@/app/api/admin/abuse/[id]/warn/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { setThresholds } from "./fixtures";

/** The abuse warning gives its times in the account's own zone, as the device-expiry email does; UTC (said) when the account has none or a bad one. */

let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  setThresholds();
  admin = await makeUser("admin");
});

async function warnedText(timeZone: string | null): Promise<string> {
  const user = await makeUser();
  await (await getDb()).update(users).set({ timeZone }).where(eq(users.id, user.id));
  const incident = (await call(abuseRoute.POST as never, { token: admin.token, body: { userId: user.id, type: "account_sharing", severity: "medium", description: "Seen on five networks" } })).json;
  const res = await call(warnRoute.POST as never, { token: admin.token, params: { id: incident.id }, body: {} });
  expect(res.status, res.text).toBe(200);
  const [mail] = await (await getDb()).select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, user.email), eq(emailOutbox.template, "abuse_warning")));
  return mail!.text;
}

describe("abuse warning email time zone", () => {
  it("is the account's zone, named", async () => {
    const text = await warnedText("America/New_York");
    expect(text).toMatch(/On \w+,? \d{1,2} \w+ \d{4}(,| at) \d{2}:\d{2} \(America\/New_York\) we recorded/);
  });

  it("is UTC, named, for an account without a zone or with one the platform does not know", async () => {
    expect(await warnedText(null)).toMatch(/\d{2}:\d{2} \(UTC\) we recorded/);
    expect(await warnedText("Not/AZone")).toMatch(/\d{2}:\d{2} \(UTC\) we recorded/);
  });
});
