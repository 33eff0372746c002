import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);

/**
 * The browser suite runs against a production build (`npm run build` first)
 * on a fresh embedded database, seeded with the demo accounts on first start.
 * Debian's Chromium: the test runner never downloads a browser.
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
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
  ],
  webServer: {
    command: `rm -rf .e2e-data && node_modules/.bin/next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: !!process.env.E2E_REUSE_SERVER,
    env: { DATA_DIR: ".e2e-data", DATABASE_URL: "", NODE_ENV: "production", LOG_LEVEL: "warn" },
    stdout: "pipe",
    stderr: "pipe",
  },
});
