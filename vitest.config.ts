import os from "node:os";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * The suites of real tunnels and real processes (wireguard-go in network
 * namespaces and iperf3 through a throttle; two app processes on one data
 * directory, a crash and a restart, backup and restore across processes, a
 * SIGTERM under load) spend their time waiting on those: `npm test` leaves
 * them out and `npm run test:real` (SW_REAL_TESTS=1) runs only them; CI runs
 * that on both databases after `npm test`.
 */
const REAL_SUITES = [
  "tests/interop/tunnel.test.ts",
  "tests/interop/throttle.test.ts",
  "tests/db/lock.test.ts",
  "tests/security/backup.test.ts",
  "tests/security/shutdown.test.ts",
];

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    environment: "node",
    include: process.env.SW_REAL_TESTS ? REAL_SUITES : ["tests/**/*.test.ts", "lib/**/*.test.ts"],
    exclude: process.env.SW_REAL_TESTS ? configDefaults.exclude : [...configDefaults.exclude, ...REAL_SUITES],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-db.ts"],
    // Hang guards only: no verdict may depend on speed, and a machine busy
    // enough to take minutes over the suite must not reach them.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // Vitest's default for a run is one worker fewer than the cores: a single
    // worker on a 2-core machine, the second core idle whenever that worker
    // waits on a spawned process, a tunnel or a signal. One worker more than
    // the cores keeps them busy through those waits: on this 2-core machine
    // the PGlite run took 299–312 s with two workers, 260 s with three.
    maxWorkers: os.availableParallelism() + 1,
    // next-auth imports "next/server" without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
    env: { NODE_ENV: "test", LOG_LEVEL: "silent" },
  },
});
