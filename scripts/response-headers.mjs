// The headers of every answer, pages and API alike, as rules of Next's
// `headers()` (next.config.ts returns them as they are). The direct lane of
// scripts/server.mjs answers a few API paths without Next's router and adds
// the same headers through directLaneHeaders(), so both ways answer alike.
// Later rules win over earlier ones; the page CSP (with its nonce) is set in
// proxy.ts.

/**
 * The rules, read when asked (HSTS only in production).
 * @returns {{ source: string; headers: { key: string; value: string }[] }[]}
 */
export function headerRules() {
  const production = process.env.NODE_ENV === "production";
  return [
    {
      source: "/:path*",
      headers: [
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        { key: "X-Frame-Options", value: "DENY" },
        { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
      ],
    },
    {
      source: "/api/:path*",
      headers: [
        { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
        { key: "Cache-Control", value: "no-store" },
      ],
    },
    // A device's config is a few hundred bytes: sent as it is rather than through a gzip stream set up for it
    // (no-transform: Next's compression, and any proxy, leave it alone).
    { source: "/api/vpn/peers/:id/config", headers: [{ key: "Cache-Control", value: "no-store, no-transform" }] },
    // One-time config links hold a secret in their URL and page: no Referer, no cache, no index.
    {
      source: "/share/:path*",
      headers: [
        { key: "Referrer-Policy", value: "no-referrer" },
        { key: "Cache-Control", value: "no-store" },
        { key: "X-Robots-Tag", value: "noindex, nofollow, noarchive" },
      ],
    },
  ];
}

/** A rule's source as a test of a path: `:name*` is any rest of the path, `:name` one segment. */
function matcher(source) {
  const pattern = source
    .split("/")
    .map((part) => (part.endsWith("*") && part.startsWith(":") ? "\u0000" : part.startsWith(":") ? "[^/]+" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("/")
    .replace("/\u0000", "(?:/.*)?");
  return new RegExp(`^${pattern}$`);
}

let matchers = null;

/** The headers the rules give an answer for `pathname`, as Next applies them (later rules win). */
export function directLaneHeaders(pathname) {
  matchers ??= headerRules().map((rule) => ({ test: matcher(rule.source), headers: rule.headers }));
  const out = {};
  for (const rule of matchers) {
    if (!rule.test.test(pathname)) continue;
    for (const { key, value } of rule.headers) out[key] = value;
  }
  return out;
}
