import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig, PUBLIC_PATHS } from "@/lib/auth/config";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { databaseAnswers, unavailablePage } from "@/lib/http/availability";

/**
 * Two jobs, neither of them authorization: an optimistic redirect of
 * signed-out visitors to /sign-in (every page, action and route checks access
 * itself), and a per-request nonce for a strict Content-Security-Policy —
 * Next applies the nonce to its own scripts when it finds the policy on the
 * request.
 */
const { auth } = NextAuth(() => ({ ...authConfig, secret: getRuntimeSecrets().authSecret }));

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and the chart library set style attributes; scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const withSession = auth((req) => {
  const { pathname, search } = req.nextUrl;
  const isPublic = pathname === "/" || PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  if (!isPublic && !req.auth?.user) {
    const url = new URL("/sign-in", req.nextUrl.origin);
    url.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(url);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
});

/** A browser loading a whole page (not a client-side navigation, which falls back to the page's error view). */
function isDocumentRequest(req: NextRequest): boolean {
  if (req.method !== "GET" || req.headers.has("rsc")) return false;
  const dest = req.headers.get("sec-fetch-dest");
  return dest ? dest === "document" : (req.headers.get("accept") ?? "").includes("text/html");
}

export default async function proxy(req: NextRequest, event: NextFetchEvent) {
  // While the database is away a page cannot render: say so with 503, as the API does, and retry.
  if (isDocumentRequest(req) && !(await databaseAnswers())) return unavailablePage();
  // With a lazily configured Auth.js, the wrapped handler may itself arrive as a promise.
  const handler = (await withSession) as unknown as (r: NextRequest, e: NextFetchEvent) => Promise<Response>;
  return handler(req, event);
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg|.*\\.(?:png|svg|ico|css|js)$).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }, { type: "header", key: "purpose", value: "prefetch" }],
    },
  ],
};
