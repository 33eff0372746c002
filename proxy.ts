import { NextResponse, type NextRequest } from "next/server";
import { PUBLIC_PATHS } from "@/lib/auth/config";
import { claimsAndRenewal } from "@/lib/auth/session-claims";
import { databaseAnswers, unavailablePage } from "@/lib/http/availability";

/**
 * Two jobs, neither of them authorization: an optimistic redirect of
 * signed-out visitors to /sign-in (every page, action and route checks access
 * itself), and a per-request nonce for a strict Content-Security-Policy —
 * Next applies the nonce to its own scripts when it finds the policy on the
 * request. The cookie is verified once per process (lib/auth/session-claims)
 * and issued anew once a day while it is used, not on every request.
 */

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

async function withSession(req: NextRequest): Promise<Response> {
  const { pathname, search } = req.nextUrl;
  const isPublic = pathname === "/" || PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
  const session = await claimsAndRenewal(req.headers);
  if (!isPublic && !session) {
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
  const renewed = session?.renewed;
  if (renewed) {
    res.cookies.set(renewed.name, renewed.value, { httpOnly: true, sameSite: "lax", path: "/", secure: renewed.secure, maxAge: renewed.maxAge });
  }
  return res;
}

/** A browser loading a whole page (not a client-side navigation, which falls back to the page's error view). */
function isDocumentRequest(req: NextRequest): boolean {
  if (req.method !== "GET" || req.headers.has("rsc")) return false;
  const dest = req.headers.get("sec-fetch-dest");
  return dest ? dest === "document" : (req.headers.get("accept") ?? "").includes("text/html");
}

export default async function proxy(req: NextRequest) {
  // While the database is away a page cannot render: say so with 503, as the API does, and retry.
  if (isDocumentRequest(req) && !(await databaseAnswers())) return unavailablePage();
  return withSession(req);
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg|.*\\.(?:png|svg|ico|css|js)$).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }, { type: "header", key: "purpose", value: "prefetch" }],
    },
  ],
};
