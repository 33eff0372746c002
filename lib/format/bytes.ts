/**
 * The one way SecureWave writes a data volume, on every page, chart and
 * email: decimal units (1 GB = 10^9 bytes), as data plans and allowances
 * are sold, one decimal at most. Pure and locale-pinned, so a server render
 * and the browser write the same text.
 */
const UNITS = ["B", "kB", "MB", "GB", "TB", "PB"] as const;

/** "0 B", "950 B", "1.2 kB", "12.3 MB", "50 GB", "1,200 PB"; "—" for what is not a number. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "—";
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  // 999.96 MB would round to "1000 MB": move up a unit instead.
  if (unit < UNITS.length - 1 && Number(value.toFixed(1)) >= 1000) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  return `${Number(value.toFixed(1)).toLocaleString("en")} ${UNITS[unit]}`;
}
