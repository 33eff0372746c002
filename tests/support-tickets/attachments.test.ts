import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { ticketAttachments } from "@/db/schema";
import * as ticketsRoute from "@/app/api/support/tickets/route";
import * as messagesRoute from "@/app/api/support/tickets/[id]/messages/route";
import * as attachmentRoute from "@/app/api/support/tickets/[id]/attachments/[attachmentId]/route";
import { MAX_ATTACHMENT_BYTES } from "@/lib/support/attachments";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { startSession } from "@/lib/services/sessions";
import { call } from "../support/api";
import { makeUser } from "../support/factories";
import { ELF_BYTES, PDF_BYTES, PNG_BYTES, bytes } from "./helpers/files";
import { callMultipart, useTempAttachmentStore } from "./helpers/support";

const storeDir = useTempAttachmentStore();

async function openTicket() {
  const user = await makeUser();
  const res = await call(ticketsRoute.POST, { token: user.token, body: { subject: "Logs attached", description: "d", category: "technical", priority: "low" } });
  return { user, id: res.json.id as string };
}

const storedFiles = (ticketId: string) => {
  const dir = path.join(storeDir(), ticketId);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe("attachments", () => {
  it("stores a screenshot under a random name outside the web root and serves it inline with safe headers", async () => {
    const { user, id } = await openTicket();
    const res = await callMultipart(messagesRoute.POST, {
      token: user.token,
      params: { id },
      fields: { message: "Here is what I see" },
      files: [{ name: "../../evil/screen shot.png", type: "image/png", bytes: PNG_BYTES }],
    });
    expect(res.status).toBe(201);
    const att = res.json.attachments[0];
    expect(att).toMatchObject({ filename: "screen shot.png", contentType: "image/png", size: PNG_BYTES.length, url: `/api/support/tickets/${id}/attachments/${att.id}` });

    const files = storedFiles(id);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(files[0]).not.toContain("screen");
    const [row] = await (await getDb()).select().from(ticketAttachments).where(eq(ticketAttachments.id, att.id));
    expect(row!.storageKey).toBe(`${id}/${files[0]}`);
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const got = await call(attachmentRoute.GET, { token: user.token, params: { id, attachmentId: att.id } });
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect(got.headers.get("content-disposition")).toBe(`inline; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`);
    expect(got.headers.get("cache-control")).toContain("no-store");
  });

  it("lets the bytes decide: a PNG sent as application/pdf named .pdf is stored and served as a PNG", async () => {
    const { user, id } = await openTicket();
    const res = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "report" }, files: [{ name: "report.pdf", type: "application/pdf", bytes: PNG_BYTES }] });
    expect(res.status).toBe(201);
    expect(res.json.attachments[0]).toMatchObject({ filename: "report.png", contentType: "image/png" });
    const pdf = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "real pdf" }, files: [{ name: "invoice.pdf", bytes: PDF_BYTES }] });
    const served = await call(attachmentRoute.GET, { token: user.token, params: { id, attachmentId: pdf.json.attachments[0].id } });
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment; filename="invoice.pdf"/);
    const log = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "log" }, files: [{ name: "wg.log", type: "text/plain", bytes: bytes("handshake did not complete\n") }] });
    expect(log.json.attachments[0]).toMatchObject({ filename: "wg.log", contentType: "text/plain; charset=utf-8" });
  });

  it("refuses executables and HTML with 400, naming the file, and stores nothing", async () => {
    const { user, id } = await openTicket();
    for (const f of [
      { name: "tool", type: "application/octet-stream", bytes: ELF_BYTES },
      { name: "setup.exe", type: "application/x-msdownload", bytes: bytes("MZ\x90\x00\x03\x00") },
      { name: "page.html", type: "text/html", bytes: bytes("<!doctype html><script>alert(1)</script>") },
      { name: "fake.png", type: "image/png", bytes: bytes("<html><body>not an image</body></html>") },
      { name: "disguised.txt", type: "text/plain", bytes: bytes("<html><script>x</script></html>") },
    ]) {
      const res = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "see file" }, files: [PNG_FILE, f] });
      expect(res.status, f.name).toBe(400);
      expect(res.json.error.code).toBe("validation_error");
      expect(res.json.error.details).toEqual([{ path: "files.1", message: expect.stringContaining(f.name) }]);
    }
    expect(storedFiles(id)).toEqual([]);
    const ticket = await call((await import("@/app/api/support/tickets/[id]/route")).GET, { token: user.token, params: { id } });
    expect(ticket.json.messages).toEqual([]);
  });

  it("accepts exactly 10 MB and answers 413 for 10 MB + 1 byte", async () => {
    const { user, id } = await openTicket();
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES);
    big.set(PNG_BYTES);
    const ok = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "big" }, files: [{ name: "big.png", bytes: big }] });
    expect(ok.status).toBe(201);
    const tooBig = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    tooBig.set(PNG_BYTES);
    const res = await callMultipart(messagesRoute.POST, { token: user.token, params: { id }, fields: { message: "bigger" }, files: [{ name: "bigger.png", bytes: tooBig }] });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
    expect(storedFiles(id)).toHaveLength(1);
  });

  it("refuses a body larger than the multipart limit before reading it, and a cross-site cookie form post", async () => {
    const { user, id } = await openTicket();
    const res = await call(messagesRoute.POST, {
      token: user.token,
      params: { id },
      rawBody: "x",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(60 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    // Without Content-Length (chunked), the stream itself is cut at the limit.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024));
        if (sent > 80 * 1024 * 1024) controller.close();
      },
    });
    const chunked = await messagesRoute.POST(
      new NextRequest(`http://localhost:3000/api/support/tickets/${id}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "content-type": "multipart/form-data; boundary=x" },
        body: endless,
        duplex: "half",
      } as ConstructorParameters<typeof NextRequest>[1]),
      { params: Promise.resolve({ id }) },
    );
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(80 * 1024 * 1024);

    // With the session cookie (as a browser sends it), a multipart post from another site's page is refused.
    const cookie = await sessionCookie(user.id);
    const forged = await callMultipart(messagesRoute.POST, { params: { id }, fields: { message: "csrf" }, headers: { cookie, origin: "https://evil.example", host: "localhost:3000" } });
    expect(forged.status).toBe(403);
    const sameSite = await callMultipart(messagesRoute.POST, { params: { id }, fields: { message: "from our page" }, headers: { cookie, origin: "http://localhost:3000", host: "localhost:3000" } });
    expect(sameSite.status).toBe(201);
  });

  it("creates a ticket with files in one multipart request", async () => {
    const user = await makeUser();
    const res = await callMultipart(ticketsRoute.POST, {
      token: user.token,
      fields: { subject: "With files", description: "two files", category: "bug_report", priority: "medium" },
      files: [PNG_FILE, { name: "trace.txt", bytes: bytes("trace\n") }],
      fileField: "files[]",
    });
    expect(res.status).toBe(201);
    expect(res.json.attachments.map((a: { filename: string }) => a.filename)).toEqual(["screen.png", "trace.txt"]);
    const missing = await callMultipart(ticketsRoute.POST, { token: user.token, fields: { subject: "", description: "x", category: "nope" } });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["category", "subject"]);
  });
});

/** The Auth.js session cookie a signed-in browser sends (JWT strategy, plain-HTTP cookie name). */
async function sessionCookie(userId: string): Promise<string> {
  const { encode } = await import("next-auth/jwt");
  const name = "authjs.session-token";
  const sid = await startSession(userId, { userAgent: null, ip: null });
  const token = await encode({ token: { sub: userId, sid }, secret: getRuntimeSecrets().authSecret, salt: name });
  return `${name}=${token}`;
}

const PNG_FILE = { name: "screen.png", type: "image/png", bytes: PNG_BYTES };
