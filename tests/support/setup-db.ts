import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, setDbHandle, closeDb } from "@/db/client";
import { resetEnv } from "@/lib/env";

/**
 * Each test file gets its own database: a copy of the migrated PGlite
 * template, or with TEST_DATABASE_URL a new PostgreSQL database that is
 * dropped afterwards. The app's getDb() then answers with it.
 */
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  resetEnv({
    DATABASE_URL: "memory://",
    AUTH_SECRET: "test-auth-secret-0123456789abcdefghijklmnop",
    ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  });
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const { default: postgres } = await import("postgres");
    const name = `sw_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    setDbHandle(await openDatabase({ url: url.toString(), poolSize: 20 }));
    // For tests that start a second process (the CLI, a killed job) on the same database.
    process.env.SW_TEST_DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const tar = fs.readFileSync(path.resolve(".test-data/pglite-template.tar"));
    setDbHandle(await openDatabase({ url: "memory://", migrate: false, loadDataDir: new Blob([tar]) }));
  }
});

afterAll(async () => {
  await closeDb();
  await dropDatabase?.();
});
