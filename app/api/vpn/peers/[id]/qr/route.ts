import { withApi } from "@/lib/api/handler";
import { peerQrPng } from "@/lib/services/peer-config";

export const GET = withApi({ auth: "user" }, async ({ actor, params }) => {
  const png = await peerQrPng(actor, params.id!);
  return new Response(new Uint8Array(png), { headers: { "Content-Type": "image/png", "Cache-Control": "no-store" } });
});
