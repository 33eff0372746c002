import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { ticketAttachments, type AttachmentRef } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE, displayFilename, sniffAttachment } from "@/lib/support/attachments";
import { getAttachmentStore } from "./attachment-store";

/** A file as received: the name and type the client claimed are only hints; the bytes decide. */
export interface UploadInput {
  filename: string;
  bytes: Uint8Array;
}

export interface PreparedUpload {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
}

export interface StoredUpload extends Omit<PreparedUpload, "bytes"> {
  storageKey: string;
}

/**
 * Checks every file before anything is stored: too many → 400, one over
 * 10 MB → 413, a type that is not an image, PDF or UTF-8 text log → 400
 * naming the file.
 */
export function prepareUploads(files: UploadInput[]): PreparedUpload[] {
  if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) {
    throw new AppError("validation_error", `Attach at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`, [{ path: "files", message: `At most ${MAX_ATTACHMENTS_PER_MESSAGE} files per message` }]);
  }
  const tooBig = files.findIndex((f) => f.bytes.byteLength > MAX_ATTACHMENT_BYTES);
  if (tooBig >= 0) {
    throw new AppError("payload_too_large", `Each file must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, [{ path: `files.${tooBig}`, message: "File larger than 10 MB" }]);
  }
  const bad: Array<{ path: string; message: string }> = [];
  const prepared = files.map((f, i) => {
    const type = sniffAttachment(f.bytes, f.filename);
    if (!type) {
      bad.push({ path: `files.${i}`, message: `${displayName(f.filename)}: only images (PNG, JPEG, GIF, WebP), PDF and text logs (.txt, .log) can be attached` });
      return null;
    }
    return {
      id: randomUUID(),
      filename: displayFilename(f.filename, type),
      contentType: type.contentType,
      size: f.bytes.byteLength,
      sha256: createHash("sha256").update(f.bytes).digest("hex"),
      bytes: f.bytes,
    };
  });
  if (bad.length) throw new AppError("validation_error", "Some files cannot be attached", bad);
  return prepared as PreparedUpload[];
}

const displayName = (name: string) => (name.split(/[\\/]/).pop() ?? "file").replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 100) || "file";

/** Writes the bytes under random names (never the user's filename) in the ticket's folder. */
export async function storeUploads(ticketId: string, files: PreparedUpload[]): Promise<StoredUpload[]> {
  const store = getAttachmentStore();
  const done: StoredUpload[] = [];
  try {
    for (const { bytes, ...f } of files) {
      const storageKey = `${ticketId}/${randomUUID()}`;
      await store.put(storageKey, bytes);
      done.push({ ...f, storageKey });
    }
    return done;
  } catch (err) {
    await discardUploads(done);
    throw err;
  }
}

/** Best effort, after the transaction that would have referenced them failed. */
export async function discardUploads(files: StoredUpload[]): Promise<void> {
  const store = getAttachmentStore();
  for (const f of files) {
    await store.delete(f.storageKey).catch((err) => log.warn("attachment cleanup failed", { storageKey: f.storageKey, error: String(err) }));
  }
}

/** Rows in upload order (a millisecond apart, so the ticket lists them as they were sent). */
export async function insertAttachmentRows(db: DbOrTx, ticketId: string, messageId: string | null, uploaderId: string, files: StoredUpload[], now: Date): Promise<void> {
  if (files.length === 0) return;
  await db.insert(ticketAttachments).values(
    files.map((f, i) => ({
      id: f.id,
      ticketId,
      messageId,
      uploaderId,
      filename: f.filename,
      contentType: f.contentType,
      sizeBytes: f.size,
      sha256: f.sha256,
      storageKey: f.storageKey,
      createdAt: new Date(now.getTime() + i),
    })),
  );
}

export const attachmentRefs = (files: StoredUpload[]): AttachmentRef[] =>
  files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size }));
