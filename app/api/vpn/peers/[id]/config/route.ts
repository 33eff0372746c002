import { withApi } from "@/lib/api/handler";
import { peerConfig } from "@/lib/services/peer-config";

export const GET = withApi({ auth: "user" }, async ({ actor, params }) => {
  const config = await peerConfig(actor, params.id!);
  return new Response(config.text, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${config.filename}"`,
      // Never stored; and a few hundred bytes go out as they are, not through a gzip stream (no-transform).
      "Cache-Control": "no-store, no-transform",
    },
  });
});
