import fs from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, setDbHandle, closeDb } from "@/db/client";
import { resetEnv } from "@/lib/env";

/**
 * Each test file gets its own database: a copy of the migrated PGlite
 * template, or with TEST_DATABASE_URL a new PostgreSQL database cloned from
 * the migrated template database and dropped afterwards (see global-setup.ts).
 * The app's getDb() then answers with it.
 */
let dropDatabase: (() => Promise<void>) | undefined;

type Handle = Awaited<ReturnType<typeof openDatabase>>;

/**
 * On PGlite the copy is made when the file first asks for its database:
 * about a quarter of the files never do, and loading the template costs each
 * of them most of a second. The handle db/client keeps on globalThis becomes
 * a property that opens the copy on its first read; tests that set their own
 * handle simply overwrite it. If db/client no longer keeps its handle there
 * (setDbHandle does not write the property), the copy is opened at once.
 */
let untouched = () => false;
function openOnFirstUse(open: () => Promise<Handle>): boolean {
  let value: Promise<Handle> | undefined;
  let used = false;
  let written = false;
  Object.defineProperty(globalThis, "__swDb", {
    configurable: true,
    get() {
      if (!used) {
        used = true;
        value = open();
      }
      return value;
    },
    set(v: Promise<Handle> | undefined) {
      used = true;
      written = true;
      value = v;
    },
  });
  setDbHandle(undefined);
  if (!written) {
    delete (globalThis as { __swDb?: unknown }).__swDb;
    return false;
  }
  used = false;
  untouched = () => !used;
  return true;
}

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
    await admin.unsafe(`create database ${name} template ${inject("pgTemplate")}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    setDbHandle(await openDatabase({ url: url.toString(), poolSize: 20, migrate: false }));
    // For tests that start a second process (the CLI, a killed job) on the same database.
    process.env.SW_TEST_DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const open = () => openDatabase({ url: "memory://", migrate: false, loadDataDir: new Blob([fs.readFileSync(inject("pgliteTemplate"))]) });
    if (!openOnFirstUse(open)) setDbHandle(await open());
  }
});

afterAll(async () => {
  if (!untouched()) await closeDb();
  await dropDatabase?.();
});
