import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError, type ZodType } from "zod";
import { AppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import { isSameOrigin, STATE_CHANGING } from "@/lib/http/same-origin";
import { isId } from "@/lib/validation/ids";
import { isDraining, trackRequest } from "@/lib/server/shutdown";
import { observeHttpRequest } from "@/lib/metrics/registry";
import { routePattern } from "@/lib/metrics/route-pattern";
import type { AgentActor, UserActor } from "@/lib/auth/actor";
import { authenticateRequest } from "./authenticate";
import { readBody, refuseNul, type BodyType, type UploadedFile } from "./body";

type AuthMode = "public" | "user" | "staff" | "admin" | "agent";
type ActorFor<A extends AuthMode> = A extends "agent" ? AgentActor : A extends "public" ? UserActor | null : UserActor;

export interface ApiContext<A extends AuthMode, B, Q> {
  req: NextRequest;
  actor: ActorFor<A>;
  body: B;
  /** Files of a multipart body (bodyType "form"). */
  files: UploadedFile[];
  query: Q;
  params: Record<string, string>;
  requestId: string;
}

interface Options<A extends AuthMode, B extends ZodType | undefined, Q extends ZodType | undefined> {
  auth: A;
  body?: B;
  query?: Q;
  /** Bodies larger than this are refused with 413 before being read whole. */
  maxBodyBytes?: number;
  /** "json" (default), "text" for plain bodies such as `wg show dump`, "form" for JSON or multipart with files. */
  bodyType?: BodyType;
  /** Open to a staff account that must still enrol in two-factor (the enrolment routes only); every other route answers 403 `two_factor_required`. */
  duringTwoFactorSetup?: boolean;
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type Out<S> = S extends ZodType ? z.output<S> : undefined;

export function errorResponse(err: AppError, requestId: string): NextResponse {
  const res = NextResponse.json(
    { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } },
    { status: err.status },
  );
  res.headers.set("X-Request-Id", requestId);
  if (err.retryAfterSeconds) res.headers.set("Retry-After", String(err.retryAfterSeconds));
  return res;
}

function zodDetails(err: ZodError) {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

async function parseInput<S extends ZodType | undefined>(schema: S, raw: unknown): Promise<Out<S>> {
  if (!schema) return undefined as Out<S>;
  const result = await schema.safeParseAsync(raw);
  if (!result.success) throw new AppError("validation_error", "The request is not valid", zodDetails(result.error));
  return result.data as Out<S>;
}

/**
 * The one wrapper of every route handler: authenticates (session, personal
 * token, agent token), refuses cross-site requests that a cookie would
 * authenticate, shape-checks ids in the path, validates with zod, maps errors
 * to API.md's shape and statuses, tags each answer with a request id, and
 * never lets an internal error message, stack or SQL reach the client.
 * Counts the requests in progress for a graceful shutdown.
 */
export function withApi<A extends AuthMode, B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined>(
  opts: Options<A, B, Q>,
  handler: (ctx: ApiContext<A, Out<B>, Out<Q>>) => Promise<Response | unknown>,
) {
  return async (req: NextRequest, route: RouteContext) => {
    const started = performance.now();
    const requestId = req.headers.get("x-request-id")?.slice(0, 64).replace(/[^\w.:-]/g, "") || randomUUID();
    const res = await trackRequest(() => handle(req, route, requestId));
    // Shutting down: a kept-alive client reconnects (to another instance) instead of holding the drain up.
    if (isDraining()) res.headers.set("Connection", "close");
    await observe(req, route, res.status, started);
    return res;
  };

  async function handle(req: NextRequest, route: RouteContext, requestId: string) {
    try {
      const actor = (await authenticateRequest(req, opts.auth, { duringTwoFactorSetup: opts.duringTwoFactorSetup })) as ActorFor<A>;
      // Security-critical (CSRF): a cookie is sent by the browser whoever's page makes the request. Bearer tokens are not.
      const byCookie = opts.auth !== "public" && opts.auth !== "agent" && !req.headers.get("authorization");
      if (byCookie && STATE_CHANGING.has(req.method) && !isSameOrigin(req.headers, req.nextUrl.protocol)) {
        throw new AppError("forbidden", "Cross-site requests are not accepted: send this request from the app itself or with a personal API token");
      }
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries((await route?.params) ?? {})) {
        const value = Array.isArray(v) ? v.join("/") : v;
        // An id that cannot exist (a NUL byte, a megabyte of text) is simply not found, before any query sees it.
        if (!isId(value)) throw new AppError("not_found", "Not found");
        params[k] = value;
      }
      // Every route, with a query schema or not, every value of a repeated name too: a NUL byte in a parameter is a 400 naming it.
      for (const [name, value] of req.nextUrl.searchParams) refuseNul({ [name]: value }, "query");
      const query = await parseInput(opts.query, Object.fromEntries(req.nextUrl.searchParams));
      let body = undefined as Out<B>;
      let files: UploadedFile[] = [];
      if (opts.body) {
        const read = await readBody(req, opts.bodyType ?? "json", opts.maxBodyBytes ?? 1_000_000, byCookie);
        files = read.files;
        body = await parseInput(opts.body, read.raw);
      }
      const result = await handler({ req, actor, body, files, query: query as Out<Q>, params, requestId });
      const res = result instanceof Response ? result : NextResponse.json(result ?? null);
      res.headers.set("X-Request-Id", requestId);
      return res;
    } catch (err) {
      if (err instanceof AppError) return errorResponse(err, requestId);
      log.error("api.unhandled_error", {
        requestId,
        method: req.method,
        path: req.nextUrl.pathname,
        ...describeError(err),
      });
      const unavailable = isDatabaseUnavailable(err);
      return errorResponse(
        unavailable
          ? new AppError("unavailable", "The service is temporarily unavailable, try again shortly", undefined, 5)
          : new AppError("internal_error", "Something went wrong on our side"),
        requestId,
      );
    }
  }
}

/** Latency by route pattern, never the raw path (an id would make a series each); a metrics failure never fails a request. */
async function observe(req: NextRequest, route: RouteContext, status: number, started: number): Promise<void> {
  try {
    observeHttpRequest(req.method, routePattern(req.nextUrl.pathname, await route?.params), status, (performance.now() - started) / 1000);
  } catch (err) {
    log.warn("api.metrics_failed", describeError(err));
  }
}

function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "57P01", "57P03"].includes(code ?? "");
}
