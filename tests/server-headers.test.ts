import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { directLaneHeaders, headerRules } from "@/scripts/response-headers.mjs";

/**
 * One table of answer headers for both ways into the app: Next's `headers()`
 * (next.config.ts) and the production server's direct lane
 * (scripts/server.mjs), which applies them as Next does — every rule whose
 * source matches the path, later rules winning.
 */
const ROOT = path.resolve(import.meta.dirname, "..");

describe("answer headers", () => {
  it("next.config.ts gives Next the shared rules", async () => {
    expect(await nextConfig.headers!()).toEqual(headerRules());
  });

  it("the direct lane's headers for a config download and a QR code are the rules that match their paths", () => {
    const config = directLaneHeaders("/api/vpn/peers/0b3c1a0e-4f6d-4b8e-9a51-2f0b8c7d6e5f/config");
    expect(config).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Cache-Control": "no-store, no-transform",
    });
    const qr = directLaneHeaders("/api/vpn/peers/0b3c1a0e-4f6d-4b8e-9a51-2f0b8c7d6e5f/qr");
    expect(qr["Cache-Control"]).toBe("no-store");
    expect(qr["Content-Security-Policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    // `:id` is one segment: a longer path is not the config route.
    expect(directLaneHeaders("/api/vpn/peers/a/b/config")["Cache-Control"]).toBe("no-store");
    // A page gets the common headers only; a share link its own.
    expect(directLaneHeaders("/devices")).not.toHaveProperty("Cache-Control");
    expect(directLaneHeaders("/share/abc")).toMatchObject({ "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow, noarchive" });
    expect(directLaneHeaders("/apiary")).not.toHaveProperty("Content-Security-Policy");
  });

  it("HSTS only in production", () => {
    const hsts = (env: string) =>
      execFileSync(process.execPath, ["-e", `import("./scripts/response-headers.mjs").then((m) => console.log(m.directLaneHeaders("/")["Strict-Transport-Security"] ?? "none"))`], {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: env as "production" },
        encoding: "utf8",
      }).trim();
    expect(hsts("production")).toBe("max-age=63072000; includeSubDomains");
    expect(hsts("development")).toBe("none");
  });

  it("the server refuses an option it does not know, naming it, before it starts anything", () => {
    const run = spawnSync(process.execPath, ["scripts/server.mjs", "--turbo"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DATA_DIR: "/nonexistent" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown option --turbo");
  });
});
