import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports flow one way: pages, routes and jobs over services, services over
 * data access, data access over db/. A cycle or an import back up compiles
 * and usually runs, until a change of load order leaves a module undefined
 * at import time, so it is checked here rather than left to review.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "lib", "components", "db", "inngest"];

// madge ships no type declarations: this is the part of its API used here.
type Madge = (
  paths: string[],
  config: { baseDir: string; fileExtensions: string[]; tsConfig: string },
) => Promise<{ circular(): string[][] }>;
const madge = createRequire(import.meta.url)("madge") as Madge;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

// Static imports, re-exports, side-effect imports and dynamic import() calls.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;

/** The project-relative target of each project import in `file` (packages are left out). */
function projectImports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const targets: string[] = [];
  for (const [, spec] of text.matchAll(SPECIFIER)) {
    if (spec.startsWith("@/")) targets.push(spec.slice(2));
    else if (spec.startsWith(".")) targets.push(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)));
  }
  return targets;
}

/** Every `file -> target` under `dir` whose target lies in one of `forbidden` (folders, project-relative). */
function importsInto(dir: string, forbidden: string[]): string[] {
  return sourceFiles(dir).flatMap((file) =>
    projectImports(file)
      .filter((target) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
      .map((target) => `${file} -> ${target}`),
  );
}

/** The project file a specifier of `file` names, or null for a package. */
function resolveImport(file: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : null;
  if (base === null) return null;
  const found = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((f) => fs.statSync(path.join(ROOT, f), { throwIfNoEntry: false })?.isFile());
  return found ?? null;
}

// `import type …` and `export type … from` are erased: they put no module in a bundle.
const TYPE_ONLY = /^\s*(?:import|export)\s+type\b[^;]*?\bfrom\s*["'][^"']+["'];?/gms;
const directive = (text: string, name: string) => new RegExp(`^(?:\\s*(?://[^\\n]*|/\\*[\\s\\S]*?\\*/))*\\s*["']${name}["']`).test(text);

/**
 * Every module a browser bundle may load: the "use client" files and what
 * they import at run time. A "use server" module is a reference there, not
 * its code, so the walk stops at one.
 */
function clientReachable(): Set<string> {
  const seen = new Set<string>();
  const todo = SOURCE_DIRS.flatMap(sourceFiles).filter((f) => directive(fs.readFileSync(path.join(ROOT, f), "utf8"), "use client"));
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    if (directive(text, "use server")) continue;
    for (const [, spec] of text.replace(TYPE_ONLY, "").matchAll(SPECIFIER)) {
      const target = resolveImport(file, spec);
      if (target) todo.push(target);
    }
  }
  return seen;
}

/** Pure modules (no I/O, usable from the browser too) and the schema (drizzle-kit reads it; its types and constants are used everywhere). */
const NOT_SERVER_ONLY = ["lib/wireguard", "lib/validation", "lib/support", "lib/abuse", "lib/vpn", "lib/format", "db/schema"];

/**
 * Server modules still without `import "server-only"`, each with the reason.
 * The list only shrinks: a module added without the marker fails, and so
 * does an entry here once its module has it.
 */
const UNMARKED: Record<string, string> = {
  // e2e/secrets.teardown.ts and e2e/support/secrets.ts import these in Playwright's runner, which does not stub
  // server-only (scripts/shims.mjs does that for tsx, tests/support/empty-module.ts for vitest).
  "db/client.ts": "imported by the Playwright runner (e2e/secrets.teardown.ts)",
  "db/lock.ts": "imported by the Playwright runner (through db/client.ts)",
  "db/pglite-create.ts": "imported by the Playwright runner (through db/client.ts)",
  "lib/env.ts": "imported by the Playwright runner (e2e/secrets.teardown.ts, e2e/support/secrets.ts)",
  "lib/runtime-secrets.ts": "imported by the Playwright runner (e2e/support/secrets.ts)",
  "lib/crypto/seal.ts": "imported by the Playwright runner (e2e/support/secrets.ts)",
  "lib/crypto/tokens.ts": "imported by the Playwright runner (e2e/support/secrets.ts)",
  // No secret and no I/O: configuration and helpers shared with proxy.ts or the route wrapper.
  "lib/auth/config.ts": "the database-free part of the Auth.js configuration, shared with proxy.ts",
  "lib/auth/home.ts": "a pure mapping from role to landing page",
  "lib/metrics/route-pattern.ts": "a pure function of a path and its params",
  "lib/dal/keyset-cursor.ts": "pure cursor encoding (another change is editing it)",
  "lib/http/availability.ts": "shared with proxy.ts (lib/http: another change is editing it)",
  "lib/http/client-ip.ts": "lib/http: another change is editing it",
  "lib/http/peer-address.ts": "lib/http: another change is editing it",
  "lib/http/same-origin.ts": "lib/http: another change is editing it",
};

const SERVER_ONLY = /^import\s+["']server-only["'];?$/;
/** Whether the first import of `file` is the server-only marker. */
function marked(file: string): boolean {
  const first = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").find((line) => /^import\b/.test(line));
  return first !== undefined && SERVER_ONLY.test(first.trim());
}

describe("architecture", () => {
  it("has no import cycle", async () => {
    const graph = await madge(
      SOURCE_DIRS.map((d) => path.join(ROOT, d)),
      { baseDir: ROOT, fileExtensions: ["ts", "tsx"], tsConfig: path.join(ROOT, "tsconfig.json") },
    );
    expect(graph.circular().map((cycle) => cycle.join(" > "))).toEqual([]);
  });

  it("lib/ imports neither the Inngest adapter, nor pages and routes, nor UI components", () => {
    expect(importsInto("lib", ["inngest", "app", "components"])).toEqual([]);
  });

  it("db/ imports neither services nor data access", () => {
    expect(importsInto("db", ["lib/services", "lib/dal"])).toEqual([]);
  });

  it("lib/dal imports no service, job, door or email (aliased or relative)", () => {
    expect(importsInto("lib/dal", ["lib/services", "lib/jobs", "lib/actions", "lib/api", "lib/email"])).toEqual([]);
  });

  it("inngest/ imports only lib/jobs and lib/log of the project", () => {
    const outside = sourceFiles("inngest").flatMap((file) =>
      projectImports(file)
        .filter((target) => !target.startsWith("inngest/") && !target.startsWith("lib/jobs/") && target !== "lib/log")
        .map((target) => `${file} -> ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('every server module under db/, lib/ and inngest/ starts with import "server-only"', () => {
    const client = clientReachable();
    const candidates = ["db", "lib", "inngest"]
      .flatMap(sourceFiles)
      .filter((f) => !f.endsWith(".test.ts") && !f.startsWith("db/migrations/"))
      .filter((f) => !NOT_SERVER_ONLY.some((dir) => f.startsWith(`${dir}/`)) && !client.has(f));
    expect(candidates.filter((f) => !marked(f) && !(f in UNMARKED))).toEqual([]);
    // An exemption whose module now has the marker, is gone, or is loaded by the browser is stale: drop it.
    expect(Object.keys(UNMARKED).filter((f) => !candidates.includes(f) || marked(f))).toEqual([]);
    // The browser cannot load a marked module: the build would fail, this says which import did it.
    expect([...client].filter((f) => /\.tsx?$/.test(f) && marked(f) && !directive(fs.readFileSync(path.join(ROOT, f), "utf8"), "use server"))).toEqual([]);
  });

  it("the client walk skips type-only imports and stops at server actions", () => {
    const text = `import type { A } from "@/lib/dal/a";\nexport type {\n  B,\n} from "@/lib/dal/b";\nimport { c, type D } from "./c";`;
    expect([...text.replace(TYPE_ONLY, "").matchAll(SPECIFIER)].map((m) => m[1])).toEqual(["./c"]);
    expect(directive(`// a comment\n"use client";\nimport x from "y";`, "use client")).toBe(true);
    expect(directive(`import x from "y";\n"use client";`, "use client")).toBe(false);
  });

  it("the import check sees every kind of import", () => {
    const lines = [`import { a } from "@/x/y";`, `export * from "../x";`, `import "@/z";`, `await import("./w")`];
    expect(lines.flatMap((line) => [...line.matchAll(SPECIFIER)].map((m) => m[1]))).toEqual(["@/x/y", "../x", "@/z", "./w"]);
  });
});
