import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { BACKOFF_MINUTES, deliverDueEmails } from "@/lib/email/deliver";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { welcomeEmail } from "@/lib/email/templates/welcome";
import { resetEnv } from "@/lib/env";
import { executeJob, waitForInFlightRuns } from "@/lib/jobs/execute";
import { emailJob } from "@/lib/jobs/email";

/** A stand-in for Resend's POST /emails, on a real local HTTP server. */
const received: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
let failNext = 0;
const server = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (c) => (raw += c));
  req.on("end", () => {
    if (req.method !== "POST" || req.url !== "/emails") return void res.writeHead(404).end();
    received.push({ headers: req.headers, body: JSON.parse(raw) });
    res.setHeader("content-type", "application/json");
    if (failNext > 0) {
      failNext--;
      res.writeHead(500).end(JSON.stringify({ statusCode: 500, name: "internal_server_error", message: "upstream exploded" }));
      return;
    }
    res.writeHead(200).end(JSON.stringify({ id: `re_${received.length}` }));
  });
});

const row = async (id: string) => (await (await getDb()).select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0];
const minutesUntilNextAttempt = async (id: string) =>
  (await rows<{ m: number }>(await getDb(), sql`select extract(epoch from next_attempt_at - now())::float8 / 60 as m from email_outbox where id = ${id}`))[0].m;
const makeDue = async (id: string) => (await getDb()).execute(sql`update email_outbox set next_attempt_at = now() where id = ${id}`);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});
beforeEach(async () => {
  received.length = 0;
  failNext = 0;
  await (await getDb()).delete(emailOutbox);
});
afterEach(async () => {
  await waitForInFlightRuns();
  resetEnv({ RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, APP_URL: undefined });
});

function withResend() {
  const { port } = server.address() as AddressInfo;
  resetEnv({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: `http://127.0.0.1:${port}`, EMAIL_FROM: "SecureWave <hello@securewave.test>" });
}

describe("email outbox", () => {
  it("without RESEND_API_KEY the outbox is the delivery: the rendered email is logged", async () => {
    resetEnv({ RESEND_API_KEY: undefined, APP_URL: "https://vpn.example.com" });
    const db = await getDb();
    const { id, status } = await enqueueEmail(db, "ada@example.com", welcomeEmail({ name: "Ada" }));
    expect(status).toBe("logged");
    const email = await row(id);
    expect(email).toMatchObject({ toAddress: "ada@example.com", subject: "Welcome to SecureWave", template: "welcome", status: "logged" });
    expect(email.html).toContain("Hi Ada,");
    expect(email.html).toContain('href="https://vpn.example.com/devices"');
    expect(email.text).toContain("https://vpn.example.com/devices");
    expect(email.text).toContain("SecureWave");
    expect(await deliverDueEmails()).toEqual({ claimed: 0, sent: 0, retried: 0, failed: 0 });
    expect(received).toHaveLength(0);
  });

  it("escapes what users typed into the email", async () => {
    const { id } = await enqueueEmail(await getDb(), "eve@example.com", welcomeEmail({ name: "<script>x</script>" }));
    expect((await row(id)).html).not.toContain("<script>");
  });

  it("an email enqueued in a transaction that rolls back leaves no row", async () => {
    const db = await getDb();
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, "gone@example.com", welcomeEmail({ name: "Gone" }));
        throw new Error("sign-up failed");
      }),
    ).rejects.toThrow("sign-up failed");
    await db.transaction(async (tx) => {
      await enqueueEmail(tx, "kept@example.com", welcomeEmail({ name: "Kept" }));
    });
    expect((await db.select().from(emailOutbox)).map((r) => r.toAddress)).toEqual(["kept@example.com"]);
  });

  it("with a key, delivers pending emails through Resend's API and records the provider id", async () => {
    withResend();
    const { id, status } = await enqueueEmail(await getDb(), "bob@example.com", welcomeEmail({ name: "Bob" }));
    expect(status).toBe("pending");
    expect(await deliverDueEmails()).toEqual({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const { headers, body } = received[0];
    expect(body).toMatchObject({ from: "SecureWave <hello@securewave.test>", to: "bob@example.com", subject: "Welcome to SecureWave" });
    expect(body.html).toContain("Hi Bob,");
    expect(body.text).toContain("/devices");
    expect(headers.authorization).toBe("Bearer re_test_key");
    expect(headers["idempotency-key"]).toBe(`outbox/${id}`);
    expect(await row(id)).toMatchObject({ status: "sent", providerId: "re_1", attempts: 1, lastError: null });
    expect((await row(id)).sentAt).toBeInstanceOf(Date);
    expect(await deliverDueEmails()).toMatchObject({ claimed: 0, sent: 0 }); // sent once only
  });

  it("a failure schedules a retry with backoff (1, 5, 25, 125 min); the 5th failure is final", async () => {
    withResend();
    failNext = 5;
    const { id } = await enqueueEmail(await getDb(), "carol@example.com", welcomeEmail({ name: "Carol" }));
    for (const [i, wait] of BACKOFF_MINUTES.entries()) {
      expect(await deliverDueEmails()).toEqual({ claimed: 1, sent: 0, retried: 1, failed: 0 });
      const email = await row(id);
      expect(email).toMatchObject({ status: "pending", attempts: i + 1, lastError: "internal_server_error: upstream exploded" });
      expect(await minutesUntilNextAttempt(id)).toBeCloseTo(wait, 1);
      expect(await deliverDueEmails()).toMatchObject({ claimed: 0 }); // not due yet
      await makeDue(id);
    }
    expect(await deliverDueEmails()).toEqual({ claimed: 1, sent: 0, retried: 0, failed: 1 });
    expect(await row(id)).toMatchObject({ status: "failed", attempts: 5, lastError: "internal_server_error: upstream exploded" });
    expect(received).toHaveLength(5);
  });

  it("hands back an email whose sender died mid-send (lease expired) and delivers it", async () => {
    withResend();
    const { id } = await enqueueEmail(await getDb(), "dave@example.com", welcomeEmail({ name: "Dave" }));
    await (await getDb()).execute(
      sql`update email_outbox set status = 'sending', attempts = 1, next_attempt_at = now() - interval '1 second' where id = ${id}`,
    );
    expect(await deliverDueEmails()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("the email job drains the outbox in batches and reports counts and progress", async () => {
    withResend();
    const db = await getDb();
    for (let i = 0; i < 3; i++) await enqueueEmail(db, `user${i}@example.com`, welcomeEmail({ name: `User ${i}` }));
    failNext = 1;
    const run = await executeJob(emailJob, { trigger: "schedule", runner: "embedded" });
    expect(run).toMatchObject({ status: "succeeded", counts: { sent: 2, retried: 1, failed: 0 }, progress: { done: 3, total: 3 } });
  });

  it("a batch claims no more than its limit", async () => {
    withResend();
    const db = await getDb();
    for (let i = 0; i < 7; i++) await enqueueEmail(db, `batch${i}@example.com`, welcomeEmail({ name: `User ${i}` }));
    expect(await deliverDueEmails({ limit: 5 })).toMatchObject({ claimed: 5, sent: 5 });
    expect(received).toHaveLength(5);
    expect(await deliverDueEmails({ limit: 5 })).toMatchObject({ claimed: 2, sent: 2 });
  });

  it("notifyOutbox starts delivery in the background right away (embedded runner)", async () => {
    withResend();
    const { id } = await enqueueEmail(await getDb(), "erin@example.com", welcomeEmail({ name: "Erin" }));
    await notifyOutbox();
    // The run it started is tracked as in flight: wait for that run, not for a time.
    await waitForInFlightRuns();
    expect((await row(id)).status).toBe("sent");
  });
});
