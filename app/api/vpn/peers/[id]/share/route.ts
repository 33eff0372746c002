import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { createShareLink } from "@/lib/services/share-links";
import { enforce, LIMITS } from "@/lib/services/rate-limit";

/** "Send to my phone": 201 {url, expiresAt}, a one-time link to the device's config (API.md). */
export const POST = withApi({ auth: "user" }, async ({ actor, params }) => {
  await enforce(LIMITS.shareLink(actor.id));
  return NextResponse.json(await createShareLink(actor, params.id!), { status: 201, headers: { "Cache-Control": "no-store" } });
});
