/**
 * The route pattern of an API request, for a metric label: the path with
 * each dynamic segment Next matched put back as `[name]` (`[...name]` for a
 * catch-all), so `/api/vpn/peers/3f2c…/qr` is `/api/vpn/peers/[id]/qr`. The
 * other segments are the route file's own, so the label set is bounded by
 * the routes that exist. Cheap: one split, and only when there are params.
 *
 * Each param takes the last free segment equal to its value (params are
 * placed right to left, as Next lists them in path order), so an id that
 * repeats a static segment (a user id "admin" in /api/admin/users/admin)
 * takes its own place. A param that cannot be placed makes the label
 * UNMATCHED_ROUTE, never the raw path.
 */
export const UNMATCHED_ROUTE = "(unmatched)";

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function routePattern(pathname: string, params: Record<string, string | string[] | undefined> | undefined | null): string {
  const entries = Object.entries(params ?? {});
  if (entries.length === 0) return pathname;
  const out: (string | null)[] = pathname.split("/");
  const decoded = out.map((s) => decode(s!));
  const placed = new Set<number>();
  for (const [name, value] of entries.reverse()) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // A catch-all is always a route's last segment: it is the path's tail.
      const start = decoded.length - value.length;
      if (start < 1 || value.some((v, i) => placed.has(start + i) || decoded[start + i] !== v)) return UNMATCHED_ROUTE;
      value.forEach((_, i) => {
        placed.add(start + i);
        out[start + i] = i === 0 ? `[...${name}]` : null;
      });
      continue;
    }
    let at = decoded.length - 1;
    while (at > 0 && (placed.has(at) || decoded[at] !== value)) at--;
    if (at < 1) return UNMATCHED_ROUTE;
    placed.add(at);
    out[at] = `[${name}]`;
  }
  return out.filter((s) => s !== null).join("/");
}
