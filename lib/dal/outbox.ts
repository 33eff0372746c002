import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { EMAIL_STATUSES, emailOutbox, type EmailStatus } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { authorizeUser } from "@/lib/auth/policy";
import { notFound, validation } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";
import { decodeCursor, encodeCursor, timestampKey } from "./keyset-cursor";

/** The admin outbox reader (/admin/outbox): without RESEND_API_KEY it is where emails are "delivered". */
export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  template: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
export interface OutboxEmail extends OutboxItem {
  html: string;
  text: string;
  providerId: string | null;
  nextAttemptAt: string;
}

const item = {
  id: emailOutbox.id,
  to: emailOutbox.toAddress,
  subject: emailOutbox.subject,
  template: emailOutbox.template,
  status: emailOutbox.status,
  attempts: emailOutbox.attempts,
  lastError: emailOutbox.lastError,
  createdAt: emailOutbox.createdAt,
  sentAt: emailOutbox.sentAt,
};
// The cursor carries created_at at full microsecond precision: a JS Date would round it and skip rows.
const createdKey = timestampKey(sql`${emailOutbox.createdAt}`);

type ItemRow = { [K in keyof OutboxItem]: K extends "createdAt" ? Date : K extends "sentAt" ? Date | null : OutboxItem[K] };
const toItem = (r: ItemRow): OutboxItem => ({
  id: r.id,
  to: r.to,
  subject: r.subject,
  template: r.template,
  status: r.status,
  attempts: r.attempts,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  sentAt: r.sentAt ? r.sentAt.toISOString() : null,
});

export async function listOutbox(
  actor: Actor,
  opts: { status?: EmailStatus; cursor?: string | null; limit?: number } = {},
): Promise<{ items: OutboxItem[]; nextCursor: string | null }> {
  authorizeUser(actor, "admin.view");
  if (opts.status && !EMAIL_STATUSES.includes(opts.status)) throw validation("Invalid status");
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  const after = opts.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(opts.cursor, ["time", "id"] as const)) : null;
  const db = await getDb();
  const found = await db
    .select({ ...item, key: createdKey })
    .from(emailOutbox)
    .where(
      and(
        opts.status ? eq(emailOutbox.status, opts.status) : undefined,
        after ? sql`(${emailOutbox.createdAt}, ${emailOutbox.id}) < (${after.at}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}

export async function getOutboxEmail(actor: Actor, id: string): Promise<OutboxEmail> {
  authorizeUser(actor, "admin.view");
  // An id that cannot exist (a NUL byte, a megabyte of text) is not found, before any query sees it.
  if (!isId(id)) throw notFound("Email");
  const db = await getDb();
  const [row] = await db
    .select({
      ...item,
      html: emailOutbox.html,
      text: emailOutbox.text,
      providerId: emailOutbox.providerId,
      nextAttemptAt: emailOutbox.nextAttemptAt,
    })
    .from(emailOutbox)
    .where(eq(emailOutbox.id, id))
    .limit(1);
  if (!row) throw notFound("Email");
  return { ...toItem(row), html: row.html, text: row.text, providerId: row.providerId, nextAttemptAt: row.nextAttemptAt.toISOString() };
}
