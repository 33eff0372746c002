import fs from "node:fs";

/**
 * `tsx bench/profile/summarize.ts FILE.cpuprofile [--requests N]`: where a
 * V8 CPU profile of the server (`node --cpu-prof`) spent its time, by the
 * part of the stack that does the work: session decoding, queries, React
 * rendering, serialisation, compression, the framework. Self time of each
 * function is attributed to the first category its source URL matches;
 * with `--requests` the table also shows milliseconds per request.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** The pauses (µs) that mark where the measured requests start and end: the runner waits this long before and after them. */
export const MARK_PAUSE_US = 1_200_000;

/**
 * The samples of the measured requests: between the last two pauses of at
 * least MARK_PAUSE_US in which the process only waited. Start-up, the
 * warm-up and shutdown stay out, so nothing needs subtracting.
 */
export function measuredWindow(profile: Profile): [number, number] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  const waiting = (i: number) => ["(idle)", "(program)"].includes(byId.get(profile.samples[i]!) ?? "");
  let t = 0;
  const at = profile.timeDeltas.map((d) => (t += d));
  const pauses: Array<[number, number]> = [];
  let from = -1;
  for (let i = 0; i <= profile.samples.length; i++) {
    if (i < profile.samples.length && waiting(i)) {
      if (from < 0) from = i;
      continue;
    }
    if (from >= 0 && at[Math.min(i, at.length - 1)]! - at[from]! >= MARK_PAUSE_US) pauses.push([from, i]);
    from = -1;
  }
  if (pauses.length < 2) throw new Error("the profile has no pause before and after the measured requests");
  return [pauses[pauses.length - 2]![1], pauses[pauses.length - 1]![0]];
}

const CATEGORIES: Array<[string, RegExp]> = [
  ["compression (zlib)", /zlib|compress/i],
  ["React server rendering (RSC + HTML)", /react-server-dom|react-dom|react\.production|react-server/i],
  ["database: PGlite (WASM)", /pglite|wasm:\/\//i],
  ["database: postgres-js driver", /node_modules\/postgres\//],
  ["query building (drizzle)", /drizzle-orm/],
  ["session decoding (Auth.js, JWT)", /@auth|next-auth|jose|oauth4webapi/],
  ["validation (zod)", /node_modules\/zod/],
  ["Next.js (routing, proxy, app render)", /next\/dist/],
  ["the app's own code", /\.next\/server\/chunks\/ssr\/(?!.*node_modules)|\/app\/|\/lib\//],
  ["Node.js internals (http, streams, crypto)", /^node:|^internal\//],
];

export interface Summary {
  /** Self time by category, µs; "(idle)" is time the process waited. */
  categories: Map<string, number>;
  /** Self time by function and source, µs. */
  functions: Map<string, number>;
}

export function summarize(profile: Profile, window: [number, number] = [0, profile.samples.length]): Summary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = window[0]; i < window[1]; i++) {
    const id = profile.samples[i]!;
    // A sample's time is the gap to the next one.
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url } = byId.get(id)!.callFrame;
    const name = functionName || "(anonymous)";
    const special = name === "(idle)" || name === "(program)" || name === "(garbage collector)";
    const category = special ? name : (CATEGORIES.find(([, re]) => re.test(url))?.[0] ?? (url ? "other libraries" : "V8 builtins and native"));
    categories.set(category, (categories.get(category) ?? 0) + us);
    if (name === "(idle)") continue;
    const key = `${name} ${url.replace(/^.*node_modules\//, "").replace(/^file:\/\/.*?\.next\//, ".next/")}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  categories.delete("(idle)");
  return { categories, functions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: summarize.ts FILE.cpuprofile [--requests N]");
  const requests = Number(process.argv[process.argv.indexOf("--requests") + 1]) || 0;
  const { categories, functions } = summarize(JSON.parse(fs.readFileSync(file, "utf8")) as Profile);
  const busy = [...categories.values()].reduce((a, b) => a + b, 0);
  const ms = (us: number) => (us / 1000).toFixed(0);
  const lines = ["| where | CPU ms | share of busy time |" + (requests ? " ms per request |" : ""), "|---|---|---|" + (requests ? "---|" : "")];
  for (const [category, us] of [...categories].sort((a, b) => b[1] - a[1])) {
    lines.push(`| ${category} | ${ms(us)} | ${((100 * us) / busy).toFixed(1)} % |` + (requests ? ` ${(us / 1000 / requests).toFixed(2)} |` : ""));
  }
  lines.push("", "Top functions by self time:", "", "| function | CPU ms |", "|---|---|");
  for (const [key, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`| \`${key.slice(0, 110)}\` | ${ms(us)} |`);
  console.log(lines.join("\n"));
}
