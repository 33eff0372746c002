import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { AddMessageSchema } from "@/lib/validation/support";
import { addMessage } from "@/lib/services/support";
import { parseWith, readTicketBody } from "../../../_lib/body";
import { enforce, LIMITS } from "@/lib/services/rate-limit";

/** JSON `{message, isInternal?}`, or multipart (message, isInternal, files[]). isInternal from a non-staff account is 403. */
export const POST = withApi({ auth: "user" }, async ({ actor, params, req }) => {
  const { fields, files } = await readTicketBody(req);
  const input = await parseWith(AddMessageSchema, fields);
  await enforce(LIMITS.ticketMessage(actor.id));
  return NextResponse.json(await addMessage(actor, params.id!, input, files), { status: 201 });
});
