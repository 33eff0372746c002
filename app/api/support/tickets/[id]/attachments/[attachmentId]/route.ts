import { withApi } from "@/lib/api/handler";
import { readAttachment } from "@/lib/services/support";
import { contentDisposition, isInlineType } from "@/lib/support/attachments";

/**
 * Security-critical: served only to the requester and staff (404 for anyone
 * else, and for the requester a file on an internal note), with the type the
 * bytes were checked to be, nosniff, and a sandboxing CSP.
 */
export const GET = withApi({ auth: "user" }, async ({ actor, params }) => {
  const { meta, bytes } = await readAttachment(actor, params.id!, params.attachmentId!);
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": meta.contentType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": contentDisposition(isInlineType(meta.contentType) ? "inline" : "attachment", meta.filename),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "private, no-store",
    },
  });
});
