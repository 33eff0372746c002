import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { JOB_NAMES } from "@/lib/jobs/registry";
import { describeError, log } from "@/lib/log";
import { appMetrics, exposition } from "@/lib/metrics/registry";
import { refreshDatabaseMetrics } from "@/lib/services/metrics";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time: compares digests, so neither the content nor the length of the token leaks through timing. */
function bearerMatches(header: string | null, expected: string): boolean {
  const given = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  return !!given && timingSafeEqual(digest(given), digest(expected));
}

/**
 * Prometheus scrape endpoint. Off (404) unless METRICS_TOKEN is set; then it
 * wants `Authorization: Bearer $METRICS_TOKEN` (401 otherwise). Its own
 * token, not a user's: a scraper should not hold an admin's credentials.
 * Serves this process's registry (lib/metrics/registry): process and Node.js
 * metrics, request and job latency, and the database gauges set just now.
 */
export async function GET(req: NextRequest) {
  const requestId = randomUUID();
  const expected = getEnv().METRICS_TOKEN;
  if (!expected) return errorResponse(new AppError("not_found", "Not found"), requestId);
  if (!bearerMatches(req.headers.get("authorization"), expected)) {
    const res = errorResponse(new AppError("unauthenticated", "A valid metrics token is required"), requestId);
    res.headers.set("WWW-Authenticate", 'Bearer realm="metrics"');
    return res;
  }
  try {
    const { registry } = appMetrics();
    await refreshDatabaseMetrics(registry, JOB_NAMES);
    const body = await exposition(registry);
    return new Response(body, { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store", "X-Request-Id": requestId } });
  } catch (err) {
    log.error("metrics.failed", { requestId, ...describeError(err) });
    return errorResponse(new AppError("internal_error", "Something went wrong on our side"), requestId);
  }
}
