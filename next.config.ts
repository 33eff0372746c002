import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled; prom-client
  // keeps one copy per process (its registry is shared by the route bundles).
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "prom-client"],
  typedRoutes: false,
  poweredByHeader: false,
  experimental: {
    authInterrupts: true,
  },
  // Headers for every answer, pages and API alike; the page CSP (with its nonce) is set in proxy.ts.
  async headers() {
    const common = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ];
    if (process.env.NODE_ENV === "production") {
      common.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
    }
    return [
      { source: "/:path*", headers: common },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }, { key: "Cache-Control", value: "no-store" }] },
      // A device's config is a few hundred bytes: sent as it is rather than through a gzip stream set up for it
      // (no-transform: Next's compression, and any proxy, leave it alone). Later entries win.
      { source: "/api/vpn/peers/:id/config", headers: [{ key: "Cache-Control", value: "no-store, no-transform" }] },
      // One-time config links hold a secret in their URL and page: no Referer, no cache, no index (later entries win).
      { source: "/share/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }, { key: "Cache-Control", value: "no-store" }, { key: "X-Robots-Tag", value: "noindex, nofollow, noarchive" }] },
    ];
  },
};

export default nextConfig;
