import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError, type ZodType } from "zod";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isDraining, trackRequest } from "@/lib/server/shutdown";
import type { AgentActor, UserActor } from "@/lib/auth/actor";
import { authenticateRequest } from "./authenticate";

type AuthMode = "public" | "user" | "staff" | "admin" | "agent";
type ActorFor<A extends AuthMode> = A extends "agent" ? AgentActor : A extends "public" ? UserActor | null : UserActor;

export interface ApiContext<A extends AuthMode, B, Q> {
  req: NextRequest;
  actor: ActorFor<A>;
  body: B;
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
  /** "json" (default) or "text" for plain bodies such as `wg show dump`. */
  bodyType?: "json" | "text";
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

async function readBody(req: NextRequest, max: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > max) throw new AppError("payload_too_large", `Body larger than ${max} bytes`);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError("payload_too_large", `Body larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function parseInput<S extends ZodType | undefined>(schema: S, raw: unknown): Promise<Out<S>> {
  if (!schema) return undefined as Out<S>;
  const result = await schema.safeParseAsync(raw);
  if (!result.success) throw new AppError("validation_error", "The request is not valid", zodDetails(result.error));
  return result.data as Out<S>;
}

/**
 * The one wrapper of every route handler: authenticates (session, personal
 * token, agent token), validates with zod, maps errors to API.md's shape and
 * statuses, tags each answer with a request id, and never lets an internal
 * error message, stack or SQL reach the client. Counts the requests in
 * progress for a graceful shutdown.
 */
export function withApi<A extends AuthMode, B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined>(
  opts: Options<A, B, Q>,
  handler: (ctx: ApiContext<A, Out<B>, Out<Q>>) => Promise<Response | unknown>,
) {
  return async (req: NextRequest, route: RouteContext) => {
    const requestId = req.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const res = await trackRequest(() => handle(req, route, requestId));
    // Shutting down: a kept-alive client reconnects (to another instance) instead of holding the drain up.
    if (isDraining()) res.headers.set("Connection", "close");
    return res;
  };

  async function handle(req: NextRequest, route: RouteContext, requestId: string) {
    try {
      const actor = (await authenticateRequest(req, opts.auth)) as ActorFor<A>;
      const params = Object.fromEntries(
        Object.entries((await route?.params) ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      const query = await parseInput(opts.query, Object.fromEntries(req.nextUrl.searchParams));
      let body = undefined as Out<B>;
      if (opts.body) {
        const text = await readBody(req, opts.maxBodyBytes ?? 1_000_000);
        let raw: unknown = text;
        if ((opts.bodyType ?? "json") === "json") {
          try {
            raw = text === "" ? {} : JSON.parse(text);
          } catch {
            throw new AppError("validation_error", "The body is not valid JSON");
          }
        }
        body = await parseInput(opts.body, raw);
      }
      const result = await handler({ req, actor, body, query: query as Out<Q>, params, requestId });
      const res = result instanceof Response ? result : NextResponse.json(result ?? null);
      res.headers.set("X-Request-Id", requestId);
      return res;
    } catch (err) {
      if (err instanceof AppError) return errorResponse(err, requestId);
      log.error("api.unhandled_error", {
        requestId,
        method: req.method,
        path: req.nextUrl.pathname,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        stack: err instanceof Error ? err.stack : undefined,
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

function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return ["ECONNREFUSED", "ECONNRESET", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "57P01", "57P03"].includes(code ?? "");
}
