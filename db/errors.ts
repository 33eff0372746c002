import "server-only";

/**
 * A database error's SQLSTATE and constraint, whichever driver raised it:
 * postgres-js puts them on the error, drizzle wraps it (`cause`), PGlite
 * names the constraint `constraint` rather than `constraint_name`.
 */
function pgError(err: unknown): { code?: string; constraint?: string } {
  const e = (err ?? {}) as { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  const inner = (e.cause ?? {}) as typeof e;
  return { code: e.code ?? inner.code, constraint: e.constraint_name ?? e.constraint ?? inner.constraint_name ?? inner.constraint };
}

/** A unique violation (23505), optionally of one of the named constraints. */
export function isUniqueViolation(err: unknown, ...constraints: string[]): boolean {
  const { code, constraint } = pgError(err);
  return code === "23505" && (constraints.length === 0 || constraints.includes(constraint ?? ""));
}

export function sqlState(err: unknown): string | undefined {
  return pgError(err).code;
}
