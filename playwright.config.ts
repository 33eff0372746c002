import { defineConfig, devices } from "@playwright/test";
import { E2E_DATA_DIR } from "./e2e/support/capture";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * The browser suite runs against a production build (`npm run build` first)
 * on a fresh embedded database, seeded with the demo accounts on first start.
 * Debian's Chromium: the test runner never downloads a browser. The server
 * (e2e/support/server.ts) records the app's log and every answer; after the
 * last test, the "secrets" project stops it and searches all of that and the
 * database for secrets (e2e/secrets.teardown.ts).
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, teardown: "secrets" },
    { name: "secrets", testMatch: /secrets\.teardown\.ts$/ },
  ],
  webServer: {
    command: `node --import tsx e2e/support/server.ts ${PORT}`,
    url: `http://127.0.0.1:${PORT}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: !!process.env.E2E_REUSE_SERVER,
    // Debug level: the more the app says, the more the scan reads (the console still shows warnings and errors only).
    env: { DATA_DIR: E2E_DATA_DIR, DATABASE_URL: "", NODE_ENV: "production", LOG_LEVEL: "debug" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
