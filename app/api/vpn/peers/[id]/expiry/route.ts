import { withApi } from "@/lib/api/handler";
import { PeerExpirySchema, setPeerExpiry } from "@/lib/services/expiry";

/**
 * Sets or clears a device's expiry: `{expiresAt: "<ISO 8601>" | null}` →
 * the peer. An extension of API.md; owners for their devices, admins for any.
 */
const handler = withApi({ auth: "user", body: PeerExpirySchema }, async ({ actor, params, body }) =>
  setPeerExpiry(actor, params.id!, body.expiresAt === null ? null : new Date(body.expiresAt)),
);

export const PATCH = handler;
export const POST = handler;
