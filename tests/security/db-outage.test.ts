import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { getDbHandle, openDatabase, setDbHandle } from "@/db/client";
import * as me from "@/app/api/me/route";
import { call } from "../support/api";
import { makeUser } from "../support/factories";

/**
 * PostgreSQL stopped and started under traffic: requests answer 503 while it
 * is down, and the app recovers by itself with nothing lost. A throwaway
 * cluster on its own port, so the shared server is never touched.
 */
const canRun = !!process.env.TEST_DATABASE_URL && process.getuid?.() === 0 && fs.existsSync("/usr/bin/pg_createcluster");
const VERSION = canRun ? fs.readdirSync("/etc/postgresql")[0]! : "";
const NAME = `swoutage${process.pid}`;
const PORT = 5400 + (process.pid % 90);
const ctl = (...args: string[]) => execFileSync("pg_ctlcluster", ["--skip-systemctl-redirect", VERSION, NAME, ...args], { stdio: "ignore" });

describe.skipIf(!canRun)("database outage", () => {
  it("answers 503 while PostgreSQL is down and recovers on its own", { timeout: 120_000 }, async () => {
    const previous = await getDbHandle();
    execFileSync("pg_createcluster", [VERSION, NAME, "-p", String(PORT), "--start", "--", "--auth=trust"], { stdio: "ignore" });
    try {
      const handle = await openDatabase({ url: `postgres://postgres@127.0.0.1:${PORT}/postgres`, poolSize: 4 });
      setDbHandle(handle);
      const u = await makeUser();
      expect((await call(me.GET, { token: u.token })).status).toBe(200);

      ctl("stop", "-m", "fast");
      const down = await call(me.GET, { token: u.token });
      expect(down.status).toBe(503);
      expect(down.json.error.code).toBe("unavailable");
      expect(down.headers.get("retry-after")).toBeTruthy();
      expect(down.text).not.toMatch(/ECONNREFUSED|select|postgres/i);

      ctl("start");
      // Recovery is the app's own reconnecting: ask until it answers, for as long as the test may run.
      let status = 0;
      for (;;) {
        status = (await call(me.GET, { token: u.token })).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
      expect((await call(me.GET, { token: u.token })).json.email).toBe(u.email); // nothing lost
      await handle.close();
    } finally {
      setDbHandle(previous);
      execFileSync("pg_dropcluster", [VERSION, NAME, "--stop"], { stdio: "ignore" });
    }
  });
});
