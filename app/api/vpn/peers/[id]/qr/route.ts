import { z } from "zod";
import { withApi } from "@/lib/api/handler";
import { peerQrPng, peerQrSvg } from "@/lib/services/peer-config";

const QrQuery = z.object({ format: z.enum(["png", "svg"], { message: 'format must be "png" or "svg"' }).optional() }).strict();

/** The device's config as a QR code: a PNG (10-px modules), or an SVG with ?format=svg. Never cached: it holds the private key. */
export const GET = withApi({ auth: "user", query: QrQuery }, async ({ actor, params, query }) => {
  if (query.format === "svg") {
    return new Response(await peerQrSvg(actor, params.id!), { headers: { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store" } });
  }
  const png = await peerQrPng(actor, params.id!);
  return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Cache-Control": "no-store" } });
});
