import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { AddMessageSchema } from "@/lib/validation/support";
import { addMessage } from "@/lib/services/support";
import { MULTIPART_LIMIT } from "@/lib/support/attachments";

/** JSON `{message, isInternal?}`, or multipart (message, isInternal, files[]). isInternal from a non-staff account is 403. */
export const POST = withApi({ auth: "user", body: AddMessageSchema, bodyType: "form", maxBodyBytes: MULTIPART_LIMIT }, async ({ actor, params, body, files }) =>
  NextResponse.json(await addMessage(actor, params.id!, body, files), { status: 201 }),
);
