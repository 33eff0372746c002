/** Types of scripts/response-headers.mjs (plain JavaScript: the production server loads it without a build). */
export interface HeaderRule {
  source: string;
  headers: { key: string; value: string }[];
}
export function headerRules(): HeaderRule[];
export function directLaneHeaders(pathname: string): Record<string, string>;
