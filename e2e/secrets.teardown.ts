import fs from "node:fs";
import { test, expect } from "@playwright/test";
import { openDatabase } from "@/db/client";
import { resetEnv } from "@/lib/env";
import { CAPTURE, E2E_DATA_DIR, ExchangeSchema } from "./support/capture";
import { Devices, describe, placeDeviceKeys, resolveCallers, scan, secretsAtRest, secretsOfTheRun, tableDumps } from "./support/secrets";

/**
 * The secrets scan, run after every browser test (the teardown project of
 * playwright.config.ts): no private or preshared key, password hash, token
 * or master key in any log line of the app, any answer it gave (other than a
 * device's config to its owner, or to the holder of its one-time link, and a
 * new token to whoever created it, once), or any table. The app is stopped
 * first: the embedded database is one process's at a time.
 */
test("no secret of the database in the server's log, its answers or its tables", async ({}, testInfo) => {
  test.skip(!!process.env.E2E_REUSE_SERVER, "the server was not started by this run: its log, answers and database are not this run's");
  test.setTimeout(120_000);

  expect(fs.existsSync(CAPTURE.pid), "the suite's server (e2e/support/server.ts) recorded this run").toBe(true);
  if (!fs.existsSync(CAPTURE.stopped)) process.kill(Number(fs.readFileSync(CAPTURE.pid, "utf8")), "SIGTERM");
  await expect.poll(() => fs.existsSync(CAPTURE.stopped), { timeout: 30_000, message: "the app stops" }).toBe(true);

  const log = fs.readFileSync(CAPTURE.log, "utf8");
  const exchanges = fs
    .readFileSync(CAPTURE.exchanges, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => ExchangeSchema.parse(JSON.parse(line)));

  resetEnv({ DATA_DIR: E2E_DATA_DIR, DATABASE_URL: "", LOG_LEVEL: "silent" });
  const handle = await openDatabase({ migrate: false });
  try {
    const rest = await secretsAtRest(handle.db);
    const answers = await resolveCallers(exchanges, rest);
    const devices = new Devices(answers, rest);
    const tables = await tableDumps(handle.db);
    const texts = [...answers.map((a) => a.body ?? ""), log, ...tables.map((t) => t.text)];
    const secrets = [...rest.secrets, ...placeDeviceKeys(answers, devices, rest.deviceKeys), ...secretsOfTheRun(answers, texts, rest, devices)];
    const { findings, allowed } = scan(secrets, answers, log, tables);

    const withBody = answers.filter((a) => a.body !== null);
    const summary = {
      secrets: secrets.length,
      logLines: log.split("\n").length - 1,
      answers: answers.length,
      answersWithBody: withBody.length,
      answerBytes: withBody.reduce((n, a) => n + a.body!.length, 0),
      signedInAnswers: answers.filter((a) => a.caller.userId).length,
      tables: tables.length,
      tableRows: tables.reduce((n, t) => n + t.rows, 0),
      allowed: [...allowed.values()].reduce((n, labels) => n + labels.length, 0),
      findings: findings.length,
    };
    await testInfo.attach("secrets-scan.json", { body: JSON.stringify(summary, null, 2), contentType: "application/json" });

    // Not vacuous: the secrets are there to find, the log and the answers were recorded and tell who asked.
    expect(rest.secrets.filter((s) => s.label.startsWith("password hash")).length, "password hashes").toBeGreaterThanOrEqual(4);
    expect(rest.secrets.filter((s) => s.label.startsWith("sealed")).length, "sealed keys").toBeGreaterThanOrEqual(10);
    expect(secrets.length, "secrets to look for").toBeGreaterThanOrEqual(50);
    expect(log, "the app's info lines are in the log").toContain('"msg":"server.started"');
    expect(summary.answersWithBody, "answers recorded (the scan runs after the browser tests)").toBeGreaterThanOrEqual(10);
    expect(summary.answerBytes, "bytes of answers recorded").toBeGreaterThanOrEqual(50_000);
    expect(answers.some((a) => a.test !== null), "requests name their test").toBe(true);
    expect(summary.signedInAnswers, "sessions are told apart").toBeGreaterThan(0);
    expect(summary.tableRows, "rows in the tables").toBeGreaterThanOrEqual(500);
    // The scan sees a key where it is: every config served holds its device's private key, and the scan finds it there.
    for (const a of answers.filter((x) => devices.configOf(x) && x.body?.includes("PrivateKey = "))) {
      const peerId = devices.configOf(a)!.peerId;
      const labels = allowed.get(a.seq) ?? [];
      expect(labels.some((l) => l === `private key of device ${peerId}` || l === `private key of deleted device ${peerId}`), `a key in ${describe(a)}`).toBe(true);
    }

    expect(findings.map((f) => `${f.label} in ${f.where}`)).toEqual([]);
  } finally {
    await handle.close();
  }
});
