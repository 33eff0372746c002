import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { conditionalJson } from "@/lib/api/conditional";
import { AddMessageSchema } from "@/lib/validation/support";
import { ListMessagesQuerySchema } from "@/lib/validation/ticket-live";
import { addMessage, listMessagesPage } from "@/lib/services/support";
import { MULTIPART_LIMIT } from "@/lib/support/attachments";

/** `{items, nextCursor}`: the messages the caller may see (never internal notes for a requester), oldest first; `?after=<messageId>` for only newer ones. ETag/304. */
export const GET = withApi({ auth: "user", query: ListMessagesQuerySchema }, async ({ req, actor, params, query }) =>
  conditionalJson(req, await listMessagesPage(actor, params.id!, query)),
);

/** JSON `{message, isInternal?}`, or multipart (message, isInternal, files[]). isInternal from a non-staff account is 403. */
export const POST = withApi({ auth: "user", body: AddMessageSchema, bodyType: "form", maxBodyBytes: MULTIPART_LIMIT }, async ({ actor, params, body, files }) =>
  NextResponse.json(await addMessage(actor, params.id!, body, files), { status: 201 }),
);
