import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { NextRequest } from "next/server";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox, supportTickets } from "@/db/schema";
import { directoryStore, setAttachmentStore } from "@/lib/services/support/attachment-store";

/** Attachments of this test file go to a temporary directory, removed afterwards. Answers the directory. */
export function useTempAttachmentStore(): () => string {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-attach-"));
    setAttachmentStore(directoryStore(dir));
  });
  afterAll(() => {
    setAttachmentStore(undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
export interface FilePart {
  name: string;
  type?: string;
  bytes: Uint8Array;
}

/** Calls a route handler with a real multipart/form-data body, as a browser form or curl -F would send it. */
export async function callMultipart(
  handler: Handler,
  opts: { token?: string; fields?: Record<string, string>; files?: FilePart[]; params?: Record<string, string>; fileField?: string; headers?: Record<string, string> },
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
  for (const f of opts.files ?? []) form.append(opts.fileField ?? "files", new File([f.bytes as BlobPart], f.name, { type: f.type ?? "application/octet-stream" }));
  const encoded = new Request("http://localhost:3000/x", { method: "POST", body: form });
  const headers = new Headers(opts.headers);
  headers.set("content-type", encoded.headers.get("content-type")!);
  const body = new Uint8Array(await encoded.arrayBuffer());
  headers.set("content-length", String(body.byteLength));
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  const req = new NextRequest("http://localhost:3000/api/support/x", { method: "POST", headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Ticket emails in the outbox (oldest first), optionally to one address. */
export async function outboxTo(address?: string) {
  const db = await getDb();
  const list = await db
    .select()
    .from(emailOutbox)
    .where(address ? eq(emailOutbox.toAddress, address) : undefined)
    .orderBy(emailOutbox.createdAt);
  return list.filter((m) => m.template.startsWith("ticket_"));
}

/** Moves a ticket in time: shifts its creation and deadlines back by `hours` (what the clock would have done). */
export async function ageTicket(id: string, hours: number) {
  const db = await getDb();
  const shift = sql`make_interval(secs => ${hours * 3600})`;
  await db
    .update(supportTickets)
    .set({
      createdAt: sql`${supportTickets.createdAt} - ${shift}`,
      slaResponseDueAt: sql`${supportTickets.slaResponseDueAt} - ${shift}`,
      slaDueAt: sql`${supportTickets.slaDueAt} - ${shift}`,
      slaPausedAt: sql`${supportTickets.slaPausedAt} - ${shift}`,
      firstResponseAt: sql`${supportTickets.firstResponseAt} - ${shift}`,
    })
    .where(eq(supportTickets.id, id));
}

export async function ticketRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(supportTickets).where(eq(supportTickets.id, id));
  return row!;
}
