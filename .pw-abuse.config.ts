import base from "./playwright.config";
const PORT = 3187;
export default {
  ...base,
  outputDir: "/tmp/pw-abuse-results",
  reporter: [["list"]],
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: {
    ...(base.webServer as object),
    command: `rm -rf /tmp/e2e-abuse-data && node_modules/.bin/next start -p ${PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/sign-in`,
    env: { DATA_DIR: "/tmp/e2e-abuse-data", DATABASE_URL: "", NODE_ENV: "production", LOG_LEVEL: "warn" },
  },
};
