import { sql, type SQL } from "drizzle-orm";
import { validation } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";

/**
 * Opaque cursors of keyset pagination: the sort key of the last row of a
 * page, base64url-encoded. A cursor is only ever a position, never a
 * filter, so a forged one can at most start a page elsewhere in the
 * caller's own rows; a malformed one is a 400, never a database error.
 */

/** A timestamp as a sort key to the microsecond, so rows created in the same millisecond are neither skipped nor repeated. */
export const timestampKey = (column: SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(parts.join("|")).toString("base64url");
}

const invalid = () => validation("Invalid cursor", [{ path: "cursor", message: "Invalid cursor" }]);

/**
 * The parts of a cursor made by encodeCursor, each checked by its kind:
 * `time` a timestamp, `id` an id of the app, `flag` 0 or 1.
 */
export function decodeCursor<K extends readonly ("time" | "id" | "flag")[]>(cursor: string, kinds: K): { [I in keyof K]: string } {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (parts.length !== kinds.length) throw invalid();
  kinds.forEach((kind, i) => {
    const v = parts[i];
    const ok = kind === "time" ? /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) && !Number.isNaN(Date.parse(v)) : kind === "id" ? isId(v) : v === "0" || v === "1";
    if (!ok) throw invalid();
  });
  return parts as { [I in keyof K]: string };
}
