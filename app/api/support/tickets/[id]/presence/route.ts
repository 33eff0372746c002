import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { PresenceSchema } from "@/lib/validation/ticket-live";
import { leavePresence, touchPresence } from "@/lib/services/support";

/** Staff: "I have this ticket open" `{replying}`, sent every 10 s while the page is visible. 204. */
export const POST = withApi({ auth: "staff", body: PresenceSchema }, async ({ actor, params, body }) => {
  await touchPresence(actor, params.id!, body);
  return new NextResponse(null, { status: 204 });
});

/** Staff: the page was left. 204. */
export const DELETE = withApi({ auth: "staff" }, async ({ actor, params }) => {
  await leavePresence(actor, params.id!);
  return new NextResponse(null, { status: 204 });
});
