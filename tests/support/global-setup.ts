import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Builds one migrated database per migration set, so that each test file
 * starts from a copy instead of running initdb and every migration again.
 *
 * PGlite: a dump of a migrated instance in .test-data/, loaded by each file
 * in about 0.6 s. PostgreSQL (TEST_DATABASE_URL): a migrated database each
 * file clones with `create database … template`.
 *
 * Both are named by a hash of what goes into them (the migrations, the
 * driver versions, this file), so a run reuses the previous run's template
 * and a changed migration builds a new one. Several runs may share the
 * machine at once: a template is written under a temporary name and then
 * renamed, so no run ever reads a half-written one.
 */
declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: the dump each file loads. */
    pgliteTemplate: string;
    /** PostgreSQL: the database each file clones. */
    pgTemplate: string;
  }
}

const MIGRATIONS = path.resolve("db/migrations");

function templateKey(): string {
  const hash = createHash("sha256");
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of files(MIGRATIONS).sort()) hash.update(path.relative(MIGRATIONS, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  for (const pkg of ["@electric-sql/pglite", "drizzle-orm", "postgres"]) {
    hash.update(JSON.parse(fs.readFileSync(path.resolve("node_modules", pkg, "package.json"), "utf8")).version).update("\0");
  }
  hash.update(fs.readFileSync(new URL(import.meta.url)));
  return hash.digest("hex").slice(0, 16);
}

async function pgliteTemplate(key: string): Promise<string> {
  const dir = path.resolve(".test-data");
  const file = path.join(dir, `pglite-template-${key}.tar`);
  if (fs.existsSync(file)) return file;
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = await PGlite.create();
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
  const dump = await client.dumpDataDir("none");
  await client.close();
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  // Templates of other migration sets pile up as migrations change; an hour spares a run still reading one.
  for (const name of fs.readdirSync(dir)) {
    const other = path.join(dir, name);
    if (other === file || !/^pglite-template.*\.tar$/.test(name)) continue;
    if (Date.now() - fs.statSync(other).mtimeMs > 3_600_000) fs.rmSync(other, { force: true });
  }
  return file;
}

async function postgresTemplate(adminUrl: string, key: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const name = `sw_template_${key}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (found) return name;
    const building = `sw_template_build_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.unsafe(`create database ${building}`);
    const url = new URL(adminUrl);
    url.pathname = `/${building}`;
    const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
    } finally {
      await client.end();
    }
    try {
      await admin.unsafe(`alter database ${building} rename to ${name}`);
    } catch (err) {
      // Another run finished the same template first: use theirs.
      await admin.unsafe(`drop database if exists ${building}`);
      const [other] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!other) throw err;
    }
    return name;
  } finally {
    await admin.end();
  }
}

export default async function setup(project: TestProject) {
  const key = templateKey();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) project.provide("pgTemplate", await postgresTemplate(adminUrl, key));
  else project.provide("pgliteTemplate", await pgliteTemplate(key));
}
