/**
 * The peer SecureWave is measured against: wg-easy v15, measured side by
 * side on this 2-core machine on 2026-12-06 (one run, samples interleaved,
 * at 10, 200 and 1000 existing peers, medians of 20). It is not part of the
 * project; its figures are kept here as the reference the targets are set
 * from (BENCHMARKS.md quotes the same table).
 */
export const WG_EASY_REFERENCE = {
  measured: "2026-12-06, this 2-core machine, wg-easy v15",
  createMs: [1200, 1700],
  listMs: [160, 175],
  pageMs: [340, 1130],
  configMs: [5.1, 6.0],
  qrMs: [16, 29],
  rssMb: [230, 580],
} as const;

/** The target of a latency row: half of the peer's best time (twice as fast). */
export const halfOfBest = (range: readonly [number, number]) => range[0] / 2;
