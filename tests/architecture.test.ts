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

describe("architecture", () => {
  it("has no import cycle", async () => {
    const graph = await madge(
      SOURCE_DIRS.map((d) => path.join(ROOT, d)),
      { baseDir: ROOT, fileExtensions: ["ts", "tsx"], tsConfig: path.join(ROOT, "tsconfig.json") },
    );
    expect(graph.circular().map((cycle) => cycle.join(" > "))).toEqual([]);
  }, 60_000);

  it("lib/ imports neither the Inngest adapter, nor pages and routes, nor UI components", () => {
    expect(importsInto("lib", ["inngest", "app", "components"])).toEqual([]);
  });

  it("db/ imports neither services nor data access", () => {
    expect(importsInto("db", ["lib/services", "lib/dal"])).toEqual([]);
  });

  it("the import check sees every kind of import", () => {
    const lines = [`import { a } from "@/x/y";`, `export * from "../x";`, `import "@/z";`, `await import("./w")`];
    expect(lines.flatMap((line) => [...line.matchAll(SPECIFIER)].map((m) => m[1]))).toEqual(["@/x/y", "../x", "@/z", "./w"]);
  });
});
