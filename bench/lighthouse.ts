import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import lighthouse, { type Result as Report } from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { DEMO_PASSWORD } from "@/lib/server/demo-seed";
import { median } from "./harness";
import { appEnv, numArg, signIn, startApp, textArg, waitForDemo } from "./load/shared";

/**
 * `npm run bench:lighthouse [-- --base URL --runs 3 --target 95 --out FILE]`:
 * Lighthouse's performance score of the signed-in pages, with its standard
 * mobile profile (emulated phone, simulated slow 4G and 4x CPU slowdown).
 *
 * Without `--base`, starts `next start` from the build in the current
 * folder (run `npm run build` first) on a fresh embedded database in a
 * temporary folder, and waits for the first start's demo seed, history
 * included, so the pages show what a customer, an administrator and an agent
 * see. With `--base`, measures that server as it is (it must have the demo
 * accounts).
 *
 * Each page is measured `--runs` times (Lighthouse varies between runs) and
 * the run with the median score is reported: score, FCP, LCP, TBT, CLS and
 * transfer size. Prints the table (Markdown; `--out FILE` writes it too),
 * the costliest audits of each page below `--target` on stderr, and exits 1
 * when a page is below it. `--reports DIR` keeps each page's median report
 * as Lighthouse JSON (for the Lighthouse viewer); `--port` is the one the
 * started app listens on (3600); `--chromium` (or CHROME_PATH) is the
 * browser (Debian's /usr/bin/chromium).
 */
const RUNS = Math.max(1, Math.round(numArg("runs", 3)));
const TARGET = numArg("target", 95);
const PORT = numArg("port", 3600);
const BASE = textArg("base")?.replace(/\/$/, "");
const OUT = textArg("out");
const REPORTS = textArg("reports");
const CHROMIUM = textArg("chromium") ?? process.env.CHROME_PATH ?? "/usr/bin/chromium";

interface Page {
  path: string;
  email: string;
}

const PAGES: Page[] = [
  { path: "/devices", email: "alice@securewave.test" },
  { path: "/usage", email: "alice@securewave.test" },
  { path: "/admin", email: "admin@securewave.test" },
  { path: "/agent/tickets", email: "agent@securewave.test" },
];

interface Measure {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  bytes: number;
  report: Report;
  /** The browser's own version (its user agent string is frozen at a major version). */
  browser: string;
}

const log = (msg: string) => console.error(`[lighthouse] ${msg}`);

/** A run Lighthouse could not complete (a lost trace, a page that did not load in time): worth another try. */
class RunError extends Error {}

/** One Lighthouse run in its own browser, so no cache or state carries over between runs. */
async function measure(url: string, cookie: string): Promise<Measure> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
    handleSIGINT: false,
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: "error",
      onlyCategories: ["performance"],
      // The defaults are the mobile profile; said here so that a change of defaults cannot turn this into another measure.
      formFactor: "mobile",
      extraHeaders: { Cookie: cookie },
    });
    if (!result) throw new Error(`no result for ${url}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new RunError(`${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    // A lost session measures the sign-in page instead.
    if (new URL(lhr.finalDisplayedUrl).pathname !== new URL(url).pathname) throw new Error(`${url} ended at ${lhr.finalDisplayedUrl}`);
    const { Browser: browser } = (await fetch(`http://127.0.0.1:${chrome.port}/json/version`).then((r) => r.json())) as { Browser: string };
    const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    return {
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      fcpMs: value("first-contentful-paint"),
      lcpMs: value("largest-contentful-paint"),
      tbtMs: value("total-blocking-time"),
      cls: value("cumulative-layout-shift"),
      bytes: value("total-byte-weight"),
      report: lhr,
      browser,
    };
  } finally {
    chrome.kill();
  }
}

/** A run, tried again up to twice when Lighthouse itself failed (it does now and then on a busy machine). */
async function measureWithRetry(url: string, cookie: string): Promise<Measure> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure(url, cookie);
    } catch (err) {
      if (!(err instanceof RunError) || attempt >= 3) throw err;
      log(`${(err as Error).message}; trying again`);
    }
  }
}

/** The run with the median score: its metrics are reported together, as one real load. */
function medianRun(runs: Measure[]): Measure {
  const m = median(runs.map((r) => r.score));
  return [...runs].sort((a, b) => Math.abs(a.score - m) - Math.abs(b.score - m))[0]!;
}

/**
 * What Lighthouse says costs a page the most: audits not passed (biggest
 * estimated metric savings first), the LCP element, and the scripts whose
 * long tasks make up the blocking time.
 */
function costs(lhr: Report, limit = 6): string[] {
  const refs = lhr.categories.performance?.auditRefs ?? [];
  const items = (id: string) => ((lhr.audits[id]?.details ?? {}) as { items?: Record<string, unknown>[] }).items ?? [];
  const failed = refs
    .filter((ref) => ref.group !== "metrics" && ref.group !== "hidden")
    .map((ref) => lhr.audits[ref.id]!)
    .filter((a) => a && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "informative")
    .map((a) => ({ a, saving: Object.values(a.metricSavings ?? {}).reduce<number>((s, v) => s + (v ?? 0), 0) }))
    .sort((x, y) => y.saving - x.saving)
    .slice(0, limit)
    .map(({ a }) => `${a.title}${a.displayValue ? `: ${a.displayValue}` : ""}`);
  const lcp = items("lcp-breakdown-insight").find((i) => i.type === "node");
  if (lcp) failed.push(`LCP element: ${String(lcp.selector)} ("${String(lcp.nodeLabel).slice(0, 60)}")`);
  // Blocking time is each long task's time past 50 ms; the report's tasks are already on the throttled timeline.
  const blocking = new Map<string, number>();
  for (const task of items("long-tasks")) {
    const source = String(task.url).replace(/^https?:\/\/[^/]+/, "");
    blocking.set(source, (blocking.get(source) ?? 0) + Math.max(0, Number(task.duration) - 50));
  }
  const top = [...blocking].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).slice(0, 4);
  if (top.length) failed.push(`long-task time past 50 ms, by script: ${top.map(([url, ms]) => `${url} ${Math.round(ms)} ms`).join(", ")}`);
  return failed;
}

function table(rows: { page: Page; m: Measure; scores: number[] }[]): string {
  const head = ["page", "score", "runs", "FCP", "LCP", "TBT", "CLS", "transfer", "target", "met"];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const { page, m, scores } of rows) {
    lines.push(
      `| ${[
        page.path,
        String(m.score),
        scores.join(", "),
        `${(m.fcpMs / 1000).toFixed(1)} s`,
        `${(m.lcpMs / 1000).toFixed(1)} s`,
        `${Math.round(m.tbtMs)} ms`,
        m.cls.toFixed(3),
        `${Math.round(m.bytes / 1024)} KiB`,
        `≥ ${TARGET}`,
        m.score >= TARGET ? "yes" : "no",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

const load = () => os.loadavg()[0]!.toFixed(1);

async function main() {
  const loadBefore = load();
  let app: { base: string; stop: () => Promise<void> } | undefined;
  let dataDir: string | undefined;
  const cleanUp = async () => {
    await app?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
  try {
    let base = BASE;
    if (!base) {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sw-lighthouse-"));
      log(`starting next start on port ${PORT} with a fresh database in ${dataDir}`);
      app = await startApp(PORT, { ...appEnv(), DATA_DIR: dataDir }, path.join(dataDir, "pglite"));
      base = app.base;
    }
    if (app) {
      log("waiting for the demo history to be seeded");
      await waitForDemo(base);
    }
    const cookies = new Map<string, string>();
    for (const email of new Set(PAGES.map((p) => p.email))) cookies.set(email, await signIn(base, email, DEMO_PASSWORD));
    // Renders each page once before measuring, so that no run pays for the server's first render.
    for (const page of PAGES) {
      const res = await fetch(`${base}${page.path}`, { redirect: "manual", headers: { cookie: cookies.get(page.email)! } });
      await res.text();
      if (res.status !== 200) throw new Error(`${page.path} as ${page.email}: HTTP ${res.status}${res.headers.get("location") ? ` to ${res.headers.get("location")}` : ""}`);
    }

    const rows: { page: Page; m: Measure; scores: number[] }[] = [];
    for (const page of PAGES) {
      const runs: Measure[] = [];
      for (let i = 1; i <= RUNS; i++) {
        const m = await measureWithRetry(`${base}${page.path}`, cookies.get(page.email)!);
        log(`${page.path} run ${i}/${RUNS}: ${m.score} (FCP ${Math.round(m.fcpMs)} ms, LCP ${Math.round(m.lcpMs)} ms, TBT ${Math.round(m.tbtMs)} ms, CLS ${m.cls.toFixed(3)})`);
        runs.push(m);
      }
      const m = medianRun(runs);
      rows.push({ page, m, scores: runs.map((r) => r.score) });
      if (REPORTS) {
        fs.mkdirSync(REPORTS, { recursive: true });
        fs.writeFileSync(path.join(REPORTS, `${page.path.slice(1).replaceAll("/", "-")}.json`), JSON.stringify(m.report));
      }
    }

    const { report, browser } = rows[0]!.m;
    const markdown = [
      table(rows),
      "",
      `Lighthouse ${report.lighthouseVersion}, performance category, mobile profile (simulated slow 4G, 4x CPU slowdown), ${browser}; ` +
        `median of ${RUNS} run(s) per page; ${new Date().toISOString().slice(0, 10)}; load average ${loadBefore} before, ${load()} after (CPU time counts 4x: a busy machine scores lower).`,
    ].join("\n");
    console.log(markdown);
    if (OUT) fs.writeFileSync(OUT, markdown + "\n");
    const below = rows.filter((r) => r.m.score < TARGET);
    for (const { page, m } of below) log(`${page.path} scores ${m.score} < ${TARGET}; costliest:\n  - ${costs(m.report).join("\n  - ")}`);
    return below.length ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

main().then((code) => process.exit(code), (err) => (console.error(err), process.exit(1)));
