import { sql, type SQL } from "drizzle-orm";
import { validation } from "@/lib/errors";
import { isId } from "@/lib/validation/ids";

/**
 * Opaque cursors of keyset pagination: the sort key of the last row of a
 * page, base64url-encoded. A cursor is only ever a position, never a
 * filter, so a forged one can at most start a page elsewhere in the
 * caller's own rows; a malformed one is a 400, never a database error.
 * Every list decodes its cursor here: one check, at every door.
 */

/** A timestamp as a sort key to the microsecond, so rows created in the same millisecond are neither skipped nor repeated. */
export const timestampKey = (column: SQL) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(parts.join("|")).toString("base64url");
}

/**
 * What a part of a cursor may be: `time` an instant as timestampKey writes
 * it, `id` an id of the app, `flag` 0 or 1, `int` a small whole number (a
 * rank), `text` a sort key of free text (a name; at most one per cursor, and
 * it may itself hold "|").
 */
export type CursorPart = "time" | "id" | "flag" | "int" | "text";

/** Far above any cursor a list hands out; decoding a megabyte is work no one needs. */
const MAX_CURSOR_LENGTH = 1000;
const MAX_TEXT_LENGTH = 400;
const TIME = /^(\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const invalid = () => validation("Invalid cursor", [{ path: "cursor", message: "Invalid cursor" }]);

/**
 * An instant PostgreSQL accepts as timestamptz: JavaScript also reads "1"
 * (2001), February 30th (March 1st), 24:00 (the next day) and year 0, all
 * of which PostgreSQL refuses with an error. The date and time written must
 * be the very ones JavaScript read.
 */
function isTime(v: string): boolean {
  const m = TIME.exec(v);
  if (!m || Number(m[1]) < 1) return false;
  const ms = Date.parse(v);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === v.slice(0, 19);
}

const CHECK: Record<CursorPart, (v: string) => boolean> = {
  time: isTime,
  id: isId,
  flag: (v) => v === "0" || v === "1",
  int: (v) => /^(0|[1-9]\d{0,8})$/.test(v),
  text: (v) => v.length >= 1 && v.length <= MAX_TEXT_LENGTH && !CONTROL.test(v),
};

/**
 * The parts of a cursor made by encodeCursor, each checked by its kind; any
 * other string is a 400 `validation_error` on `cursor`.
 */
export function decodeCursor<K extends readonly CursorPart[]>(cursor: string, kinds: K): { [I in keyof K]: string } {
  if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  let parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const text = kinds.indexOf("text");
  if (text >= 0 && parts.length > kinds.length) {
    // The text part takes whatever "|" the other parts leave over.
    const end = text + parts.length - kinds.length + 1;
    parts = [...parts.slice(0, text), parts.slice(text, end).join("|"), ...parts.slice(end)];
  }
  if (parts.length !== kinds.length) throw invalid();
  kinds.forEach((kind, i) => {
    if (!CHECK[kind](parts[i]!)) throw invalid();
  });
  return parts as { [I in keyof K]: string };
}
