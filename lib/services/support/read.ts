import "server-only";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/auth/actor";
import { forbidden, notFound } from "@/lib/errors";
import { findAttachment, findTicketRow, resolveView, type StoredAttachment } from "@/lib/dal/tickets";
import { getAttachmentStore } from "./attachment-store";
import type { DeviceSnapshot } from "@/lib/support/device-snapshot";
import { takeDeviceSnapshot } from "./devices";

/** An attachment's bytes for someone allowed to see it (the DAL decides), else 404. */
export async function readAttachment(actor: Actor, ticketId: string, attachmentId: string): Promise<{ meta: StoredAttachment; bytes: Buffer }> {
  const meta = await findAttachment(actor, ticketId, attachmentId);
  const bytes = await getAttachmentStore().get(meta.storageKey);
  if (!bytes) throw notFound("Attachment");
  return { meta, bytes };
}

/** Staff: the requester's devices as they are now (the live twin of the ticket's snapshot). */
export async function getRequesterDevices(actor: Actor, ticketId: string, now: Date = new Date()): Promise<DeviceSnapshot> {
  if (resolveView(actor) !== "staff") throw forbidden("Support staff only");
  const db = await getDb();
  const ticket = await findTicketRow(db, actor, ticketId, "staff");
  return takeDeviceSnapshot(db, ticket.userId, now);
}
