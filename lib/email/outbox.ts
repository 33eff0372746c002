import "server-only";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { emailOutbox, type EmailStatus } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { validation } from "@/lib/errors";
import { log } from "@/lib/log";
import { renderEmail, type EmailTemplate } from "./render";

const Address = z.email();

/**
 * Writes an email to the outbox. Takes the caller's transaction so the email
 * exists if and only if the change that caused it commits. Without
 * RESEND_API_KEY the outbox is the delivery: the row is "logged" and admins
 * read it at /admin/outbox. After commit, call notifyOutbox().
 */
/** `.invalid` is reserved (RFC 2606): no mail can reach it. */
const isDeletedAddress = (address: string) => address.toLowerCase().endsWith(".invalid");

export async function enqueueEmail(
  db: DbOrTx,
  to: string,
  template: EmailTemplate,
): Promise<{ id: string; status: EmailStatus }> {
  const address = to.trim();
  if (!Address.safeParse(address).success) throw validation("Invalid email address");
  const { subject, html, text } = await renderEmail(template);
  // A deleted account's placeholder address (deleted-<id>@deleted.invalid) is kept in the log, never sent.
  const status: EmailStatus = getEnv().RESEND_API_KEY && !isDeletedAddress(address) ? "pending" : "logged";
  const [row] = await db
    .insert(emailOutbox)
    .values({ toAddress: address, subject, html, text, template: template.name, status })
    .returning({ id: emailOutbox.id, status: emailOutbox.status });
  log.info("email queued", { emailId: row.id, template: template.name, status });
  return row;
}

/**
 * enqueueEmail for many emails in one insert (a bulk action's notices), in
 * the caller's transaction. Same addresses check, rendering and status rule.
 */
export async function enqueueEmails(db: DbOrTx, emails: Array<{ to: string; template: EmailTemplate }>): Promise<number> {
  if (emails.length === 0) return 0;
  const status: EmailStatus = getEnv().RESEND_API_KEY ? "pending" : "logged";
  const values = [];
  for (const e of emails) {
    const address = e.to.trim();
    if (!Address.safeParse(address).success) throw validation("Invalid email address");
    const { subject, html, text } = await renderEmail(e.template);
    values.push({ toAddress: address, subject, html, text, template: e.template.name, status: isDeletedAddress(address) ? "logged" : status });
  }
  const rows = await db.insert(emailOutbox).values(values).returning({ id: emailOutbox.id });
  log.info("emails queued", { count: rows.length, status });
  return rows.length;
}

/**
 * Asks for delivery soon instead of at the next minute tick. Never throws:
 * the email is safely in the outbox and the scheduled run delivers it anyway.
 */
export async function notifyOutbox(): Promise<void> {
  if (!getEnv().RESEND_API_KEY) return; // logged emails need no delivery
  try {
    // Loaded on first use, so modules that only queue emails do not load the job runner and the Inngest SDK.
    const { dispatchEvent } = await import("@/lib/jobs/dispatch");
    await dispatchEvent("securewave/email.queued", {});
  } catch (err) {
    log.warn("outbox notification failed; the scheduled run will deliver", {
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
