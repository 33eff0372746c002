import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { createShareLink } from "@/lib/services/share-links";

/** "Send to my phone": 201 {url, expiresAt}, a one-time link to the device's config (API.md). */
export const POST = withApi({ auth: "user" }, async ({ actor, params }) => {
  return NextResponse.json(await createShareLink(actor, params.id!), { status: 201, headers: { "Cache-Control": "no-store" } });
});
