import type { NextConfig } from "next";
import { headerRules } from "./scripts/response-headers.mjs";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled; prom-client
  // keeps one copy per process (its registry is shared by the route bundles).
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "prom-client"],
  typedRoutes: false,
  poweredByHeader: false,
  experimental: {
    authInterrupts: true,
  },
  // Headers for every answer, pages and API alike (shared with the direct lane of scripts/server.mjs).
  async headers() {
    return headerRules();
  },
};

export default nextConfig;
