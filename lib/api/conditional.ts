import "server-only";
import { createHash } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";

/**
 * A JSON answer that a poller can ask for conditionally: its ETag is a hash
 * of the body, and a request whose If-None-Match names it gets an empty 304.
 * The data is still read (that is what tells whether it changed); what is
 * saved is the body, its parsing and the page's re-render. `private,
 * no-cache`: a browser may keep it but must ask again every time.
 */
export function conditionalJson(req: NextRequest, data: unknown): NextResponse {
  const body = JSON.stringify(data);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  const headers = { ETag: etag, "Cache-Control": "private, no-cache", Vary: "Cookie, Authorization" };
  const asked = req.headers.get("if-none-match");
  if (asked && asked.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*")) return new NextResponse(null, { status: 304, headers });
  return new NextResponse(body, { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
}
