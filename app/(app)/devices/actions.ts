"use server";

import { z } from "zod";
import { createPeer, deletePeer, revokePeer, updatePeer } from "@/lib/services/peers";
import { rotatePeer } from "@/lib/services/rotation";
import { renewPeer, setPeerExpiry } from "@/lib/services/expiry";
import { createShareLink } from "@/lib/services/share-links";
import { movePeer } from "@/lib/services/move-peer";
import { CreatePeerSchema, RotatePeerSchema, UpdatePeerSchema } from "@/lib/validation/vpn";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";
import { defineAction, defineFormAction } from "@/lib/actions/define-action";

// No action here revalidates the devices page: its list lives in the
// browser's query cache, which polls for live figures and is invalidated
// after each of these actions (app/(app)/devices/_components/peers-query.ts).
// A device's config has one entry point, GET /api/vpn/peers/:id/config.

const NOT_FOUND = "This device could not be found.";
const ById = z.object({ id: IdSchema });

/**
 * Creates a device. With `publicKey` (bring your own key) the private key
 * stays wherever it was generated — the browser or the user's WireGuard app;
 * this action never receives one.
 */
export const createDeviceAction = defineFormAction(
  { auth: "user", input: CreatePeerSchema, values: ["serverId", "deviceName", "deviceType"] },
  ({ actor, input }) => createPeer(actor, input),
);

export const revokeDeviceAction = defineFormAction({ auth: "user", input: ById, notFound: NOT_FOUND }, ({ actor, input }) =>
  revokePeer(actor, input.id),
);

export const deleteDeviceAction = defineFormAction({ auth: "user", input: ById, notFound: NOT_FOUND }, async ({ actor, input }) => {
  await deletePeer(actor, input.id);
  return null;
});

/**
 * New keys (and addresses) for a device. Server-key devices get a key made by
 * the server; bring-your-own-key devices send the new public key, generated
 * in the browser or pasted from the WireGuard app.
 */
export const rotateDeviceAction = defineFormAction(
  { auth: "user", input: RotatePeerSchema.extend({ id: IdSchema }), values: ["publicKey"], notFound: NOT_FOUND },
  ({ actor, input }) => rotatePeer(actor, input.id, input.publicKey ? { publicKey: input.publicKey } : {}),
);

/** "Send to my phone": a one-time link (15 minutes, one use) to the device's config. */
export const shareDeviceAction = defineAction({ auth: "user", input: IdSchema, notFound: NOT_FOUND }, ({ actor, input }) => createShareLink(actor, input));

const ExpiryFormSchema = z.object({
  id: IdSchema,
  expiresAt: blankAsAbsent(z.iso.datetime({ offset: true, message: "Choose a date and time" })),
});

/** Sets or (with an empty date) clears a device's expiry; the browser sends the instant its user picked, in ISO 8601. */
export const setDeviceExpiryAction = defineFormAction(
  { auth: "user", input: ExpiryFormSchema, values: ["expiresAt"], notFound: NOT_FOUND },
  ({ actor, input }) => setPeerExpiry(actor, input.id, input.expiresAt ? new Date(input.expiresAt) : null),
);

/** One click: an expired device works again (its plan's lifetime from now, or no expiry). */
export const renewDeviceAction = defineFormAction({ auth: "user", input: ById, notFound: NOT_FOUND }, ({ actor, input }) =>
  renewPeer(actor, input.id),
);

const SettingsFormSchema = z.object({
  id: IdSchema,
  deviceName: blankAsAbsent(UpdatePeerSchema.shape.deviceName),
  rotationIntervalDays: blankAsAbsent(UpdatePeerSchema.shape.rotationIntervalDays),
});

/** A device's name and key rotation interval (its bounds are configuration; the service checks them). */
export const updateDeviceSettingsAction = defineFormAction(
  { auth: "user", input: SettingsFormSchema, values: ["deviceName", "rotationIntervalDays"], notFound: NOT_FOUND },
  ({ actor, input: { id, ...patch } }) => updatePeer(actor, id, patch),
);

/**
 * "Move to another server": the same device and key, new addresses on the
 * new server; the device must load its new configuration (the service takes
 * it out of the old server's config at once).
 */
export const moveDeviceAction = defineAction({ auth: "user", input: z.object({ id: IdSchema, serverId: IdSchema }) }, ({ actor, input }) =>
  movePeer(actor, input.id, input.serverId),
);
