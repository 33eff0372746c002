"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { createPeer, deletePeer, revokePeer } from "@/lib/services/peers";
import { peerConfig, type PeerConfig } from "@/lib/services/peer-config";
import { rotatePeer } from "@/lib/services/rotation";
import { renewPeer, setPeerExpiry } from "@/lib/services/expiry";
import { createShareLink, type ShareLinkDto } from "@/lib/services/share-links";
import type { PeerDto } from "@/lib/services/peer-dto";
import { CreatePeerSchema, RotatePeerSchema } from "@/lib/validation/vpn";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const PeerIdSchema = z.string().trim().min(1).max(100);
const PeerIdFormSchema = z.object({ id: PeerIdSchema });
const RotateDeviceSchema = RotatePeerSchema.extend({ id: PeerIdSchema });

const NOT_FOUND = "This device could not be found.";

/** An empty optional field arrives as "" from a form: treat it as absent. */
function optional(form: FormData, key: string): string | undefined {
  const v = form.get(key);
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

/**
 * Creates a device. With `publicKey` (bring your own key) the private key
 * stays wherever it was generated — the browser or the user's WireGuard app;
 * this action never receives one.
 */
export async function createDeviceAction(_prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
  const values = pickValues(form, ["serverId", "deviceName", "deviceType"]);
  const parsed = CreatePeerSchema.safeParse({
    serverId: form.get("serverId") ?? "",
    deviceName: form.get("deviceName") ?? "",
    deviceType: form.get("deviceType") ?? "",
    publicKey: optional(form, "publicKey"),
  });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const user = await requireUser();
  try {
    const peer = await createPeer(user, parsed.data);
    revalidatePath("/devices");
    return { ok: true, data: peer };
  } catch (err) {
    return actionFailure(err, values);
  }
}

/**
 * The device's wg-quick config, fetched only when its owner opens the QR code
 * or a download: the page never embeds private keys up front. For a
 * bring-your-own-key device the text has no PrivateKey line.
 */
export async function getDeviceConfigAction(id: string): Promise<ActionResult<PeerConfig>> {
  const parsed = PeerIdSchema.safeParse(id);
  if (!parsed.success) return { ok: false, formError: NOT_FOUND };
  const user = await requireUser();
  try {
    const config = await peerConfig(user, parsed.data);
    return { ok: true, data: { text: config.text, filename: config.filename, bringYourOwnKey: config.bringYourOwnKey } };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function revokeDeviceAction(_prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
  const parsed = PeerIdFormSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { ok: false, formError: NOT_FOUND };
  const user = await requireUser();
  try {
    const peer = await revokePeer(user, parsed.data.id);
    revalidatePath("/devices");
    return { ok: true, data: peer };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function deleteDeviceAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const parsed = PeerIdFormSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { ok: false, formError: NOT_FOUND };
  const user = await requireUser();
  try {
    await deletePeer(user, parsed.data.id);
    revalidatePath("/devices");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}

/**
 * New keys (and addresses) for a device. Server-key devices get a key made by
 * the server; bring-your-own-key devices send the new public key, generated
 * in the browser or pasted from the WireGuard app.
 */
export async function rotateDeviceAction(_prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
  const values = pickValues(form, ["publicKey"]);
  const parsed = RotateDeviceSchema.safeParse({ id: form.get("id") ?? "", publicKey: optional(form, "publicKey") });
  if (!parsed.success) {
    if (parsed.error.issues.some((i) => i.path[0] === "id")) return { ok: false, formError: NOT_FOUND };
    return zodFailure(parsed.error, values);
  }
  const user = await requireUser();
  try {
    const peer = await rotatePeer(user, parsed.data.id, parsed.data.publicKey ? { publicKey: parsed.data.publicKey } : {});
    revalidatePath("/devices");
    return { ok: true, data: peer };
  } catch (err) {
    return actionFailure(err, values);
  }
}

/** "Send to my phone": a one-time link (15 minutes, one use) to the device's config. */
export async function shareDeviceAction(id: string): Promise<ActionResult<ShareLinkDto>> {
  const parsed = PeerIdSchema.safeParse(id);
  if (!parsed.success) return { ok: false, formError: NOT_FOUND };
  const user = await requireUser();
  try {
    return { ok: true, data: await createShareLink(user, parsed.data) };
  } catch (err) {
    return actionFailure(err);
  }
}

const ExpiryFormSchema = z.object({ id: PeerIdSchema, expiresAt: z.iso.datetime({ offset: true, message: "Choose a date and time" }).nullable() });

/** Sets or (with an empty date) clears a device's expiry; the browser sends the instant its user picked, in ISO 8601. */
export async function setDeviceExpiryAction(_prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
  const values = pickValues(form, ["expiresAt"]);
  const parsed = ExpiryFormSchema.safeParse({ id: form.get("id") ?? "", expiresAt: optional(form, "expiresAt") ?? null });
  if (!parsed.success) {
    if (parsed.error.issues.some((i) => i.path[0] === "id")) return { ok: false, formError: NOT_FOUND };
    return zodFailure(parsed.error, values);
  }
  const user = await requireUser();
  try {
    const peer = await setPeerExpiry(user, parsed.data.id, parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null);
    revalidatePath("/devices");
    return { ok: true, data: peer };
  } catch (err) {
    return actionFailure(err, values);
  }
}

/** One click: an expired device works again (its plan's lifetime from now, or no expiry). */
export async function renewDeviceAction(_prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
  const parsed = PeerIdFormSchema.safeParse({ id: form.get("id") });
  if (!parsed.success) return { ok: false, formError: NOT_FOUND };
  const user = await requireUser();
  try {
    const peer = await renewPeer(user, parsed.data.id);
    revalidatePath("/devices");
    return { ok: true, data: peer };
  } catch (err) {
    return actionFailure(err);
  }
}
