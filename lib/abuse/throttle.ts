import { trimNumber } from "./format";

/** Throttle wording shared by pages and emails — pure, no I/O. Rates are decimal: 1 kbit/s = 1000 bits per second. */

/** 2000 → "2 Mbit/s"; 512 → "512 kbit/s"; 2_500_000 → "2.5 Gbit/s". */
export function formatRate(kbit: number): string {
  if (kbit >= 1_000_000) return `${trimNumber(kbit / 1_000_000, 2)} Gbit/s`;
  if (kbit >= 1000) return `${trimNumber(kbit / 1000, 2)} Mbit/s`;
  return `${trimNumber(kbit, 0)} kbit/s`;
}

/** How an incident type reads for the account holder (a warning email). */
export const INCIDENT_TYPE_WORDS: Record<string, string> = {
  excessive_bandwidth: "unusually heavy data use",
  rapid_reconnects: "a very large number of reconnections",
  concurrent_connections: "more simultaneous connections than allowed",
  suspicious_traffic_pattern: "an unusual traffic pattern",
  account_sharing: "signs that the account is used from many places at once (account sharing)",
};
