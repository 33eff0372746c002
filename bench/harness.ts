import os from "node:os";
import { performance } from "node:perf_hooks";

/** One measured case: the median of several runs, its target and an optional baseline to compare against. */
export interface Result {
  case: string;
  db: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
  baseline?: { label: string; value: number };
  /** The ratio to the baseline when it was measured at another size than `value` (else derived from the two). */
  ratio?: number;
  note?: string;
  /** How the cost grows with the data, measured at a smaller size too (see growth()). */
  growth?: string;
}

export interface BenchContext {
  quick: boolean;
  db: "pglite" | "postgres";
  scale: (full: number, quick: number) => number;
  log: (msg: string) => void;
}

export interface BenchCase {
  name: string;
  /** Cases that do not touch the database run once. */
  dbIndependent?: boolean;
  run(ctx: BenchContext): Promise<Result[]>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function timeIt(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Runs fn `runs` times (after one warm-up when asked) and answers the median in milliseconds. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown, warmup = true): Promise<number> {
  if (warmup) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeIt(fn));
  return median(times);
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/**
 * How a cost grows with the data: the same measurement at two sizes. `cost`
 * is a time (ms, s) or, for rates, converted to time per run (n / rate).
 * "linear or better" when the larger size costs at most its size ratio
 * times the smaller one, with 25% for noise.
 */
export function growth(unit: string, small: { n: number; value: number }, large: { n: number; value: number }, perItem = false): string {
  const cost = (x: { n: number; value: number }) => (unit.includes("/s") ? x.n / x.value : x.value);
  const dataRatio = large.n / small.n;
  const costRatio = cost(large) / cost(small);
  const verdict = perItem ? (costRatio <= 1.25 ? "constant per item" : "grows per item") : costRatio <= dataRatio * 1.25 ? "linear or better" : "worse than linear";
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  return `${small.n}: ${fmt(small.value)} ${unit}, ${large.n}: ${fmt(large.value)} ${unit}; ×${fmt(costRatio)} cost for ×${fmt(dataRatio)} data: ${verdict}`;
}
