import { withApi } from "@/lib/api/handler";
import { agentConfig } from "@/lib/services/server-config";

export const GET = withApi({ auth: "agent" }, async ({ actor, req }) => {
  const result = await agentConfig(actor.serverId, req.headers.get("if-none-match"));
  const headers = { ETag: result.etag, "Cache-Control": "no-store" };
  if (result.status === 304) return new Response(null, { status: 304, headers });
  return new Response(result.text, { headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
});
