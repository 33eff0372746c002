import "server-only";
import { getEnv } from "@/lib/env";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, "silent">;

/** One JSON line per event on stdout/stderr. Callers never pass secrets; `redact` drops known secret-bearing keys anyway. */
const SECRET_KEYS = /(password|secret|token|private|preshared|authorization|cookie|key)$/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_KEYS.test(k) ? "[redacted]" : v;
  return out;
}

function emit(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  let threshold: number;
  try {
    threshold = LEVELS[getEnv().LOG_LEVEL];
  } catch {
    threshold = LEVELS.info;
  }
  if (LEVELS[level] < threshold) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...redact(fields) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(line + "\n");
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit("debug", msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit("info", msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit("warn", msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit("error", msg, f),
};

type ErrorLike = { name?: string; message?: string; stack?: string; code?: unknown; query?: unknown; params?: unknown; parameters?: unknown; cause?: unknown; constraint_name?: unknown; constraint?: unknown };

/** A SQL text reduced to what names the statement: collapsed, literals blanked, cut short. Never its parameters. */
function statementName(query: string): string {
  return query.replace(/\s+/g, " ").replace(/'(?:[^']|'')*'?/g, "'…'").trim().slice(0, 80);
}

/**
 * Security-critical: the fields to log for an error, safe to write anywhere.
 * A database error (drizzle's "Failed query: … params: …", postgres-js's
 * error with its parameters) is logged by its SQLSTATE, constraint and the
 * statement's opening words, never its message, detail or parameters: those
 * can hold token hashes, sealed keys or personal data.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error) && (typeof err !== "object" || err === null)) return { error: String(err).slice(0, 200) };
  const e = err as ErrorLike;
  const cause = (e.cause && typeof e.cause === "object" ? e.cause : {}) as ErrorLike;
  const query = typeof e.query === "string" ? e.query : typeof cause.query === "string" ? cause.query : null;
  const sqlState = [e.code, cause.code].find((c): c is string => typeof c === "string" && /^[0-9A-Z]{5}$/.test(c));
  const isDatabase = query !== null || sqlState !== undefined || "params" in e || "parameters" in e || "parameters" in cause;
  if (isDatabase) {
    const constraint = e.constraint_name ?? e.constraint ?? cause.constraint_name ?? cause.constraint;
    return {
      error: "DatabaseError",
      code: sqlState ?? (typeof cause.code === "string" ? cause.code : typeof e.code === "string" ? e.code : undefined),
      ...(typeof constraint === "string" ? { constraint } : {}),
      ...(query ? { statement: statementName(query) } : {}),
    };
  }
  const code = typeof e.code === "string" ? e.code : typeof cause.code === "string" ? cause.code : undefined;
  return {
    error: `${e.name ?? "Error"}: ${String(e.message ?? "").slice(0, 300)}`,
    ...(code ? { code } : {}),
    ...(typeof e.stack === "string" ? { stack: e.stack.split("\n").slice(1, 8).join("\n") } : {}),
  };
}

/** "Failed query: <sql>\nparams: <values>" as drizzle words it, up to the end of the params line. */
const PARAMS_LINE = /\nparams: [^\n]*/g;

function redactArg(arg: unknown): unknown {
  if (typeof arg === "string") return arg.replace(PARAMS_LINE, "\nparams: [redacted]");
  if (arg instanceof Error && ("params" in arg || PARAMS_LINE.test(arg.message))) {
    PARAMS_LINE.lastIndex = 0;
    const fields = describeError(arg);
    return `${arg.name}: ${JSON.stringify(fields)}`;
  }
  return arg;
}

/**
 * Security-critical: what the framework itself prints about an error thrown
 * while rendering a page (console.error of the error, whose message drizzle
 * fills with the statement's parameters) goes through the same redaction as
 * the app's own log lines. Installed once per server process.
 */
export function redactConsoleErrors(): void {
  const g = globalThis as unknown as { __swConsoleRedacted?: boolean };
  if (g.__swConsoleRedacted) return;
  g.__swConsoleRedacted = true;
  for (const level of ["error", "warn"] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => original(...args.map(redactArg));
  }
}
