import { fillPlaceholders } from "drizzle-orm";
import * as drizzleUtils from "drizzle-orm/utils";
import { types, type PGlite } from "@electric-sql/pglite";

/**
 * The embedded database's fast path for the few statements every request
 * runs (the session check, the token check, the config download).
 *
 * PGlite's `query()` with parameters makes six calls into PostgreSQL for one
 * statement (parse, describe, bind, describe, execute, sync), and parses and
 * plans the SQL every time: about 0.6 ms on this machine. PostgreSQL itself
 * can do better: a named statement is parsed once, and each run is one
 * message (bind, execute, sync) and one call, about 0.12 ms
 * (docs/decisions/022). This module speaks that protocol to PGlite directly
 * for a drizzle prepared statement, and decodes the rows exactly as
 * drizzle's PGlite driver does (the same type parsers, then drizzle's own
 * column mapping).
 *
 * Both of PGlite's locks are held while it runs, as they are for `query()`:
 * a statement never lands between two statements of another caller's
 * transaction. Anything unexpected (an error from the server, a parameter it
 * cannot send as text) falls back to drizzle's own execution, so errors look
 * the same as everywhere else.
 */

/** What the fast path needs of a drizzle PGlite prepared query (drizzle-orm/pglite/session.js). */
interface DrizzlePglitePrepared {
  client: PGlite;
  queryString: string;
  params: unknown[];
  fields?: unknown[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
  queryConfig?: { parsers?: Record<number, (value: string, typeId?: number) => unknown> };
  execute: (values?: Record<string, unknown>) => Promise<unknown[]>;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function message(type: string, parts: Uint8Array[]): Uint8Array {
  const length = 4 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(1 + length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, length);
  let at = 5;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const cstring = (s: string) => enc.encode(`${s}\0`);
const int16 = (n: number) => new Uint8Array([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, n);
  return b;
};
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const SYNC = message("S", []);

interface Reply {
  rows: (string | null)[][];
  typeIds: number[];
  error: boolean;
}

/** The messages PostgreSQL answered with: data rows as text, the row description's types, and whether it answered an error. */
function readReply(buf: Uint8Array): Reply {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const reply: Reply = { rows: [], typeIds: [], error: false };
  for (let at = 0; at + 5 <= buf.length; ) {
    const type = buf[at];
    const length = view.getInt32(at + 1);
    const body = at + 5;
    if (type === 0x44 /* D: data row */) {
      const count = view.getInt16(body);
      const row: (string | null)[] = new Array(count);
      let p = body + 2;
      for (let i = 0; i < count; i++) {
        const len = view.getInt32(p);
        p += 4;
        if (len < 0) row[i] = null;
        else {
          row[i] = dec.decode(buf.subarray(p, p + len));
          p += len;
        }
      }
      reply.rows.push(row);
    } else if (type === 0x54 /* T: row description */) {
      const count = view.getInt16(body);
      let p = body + 2;
      for (let i = 0; i < count; i++) {
        while (buf[p] !== 0) p++; // column name
        p += 1 + 4 + 2; // table oid, column number
        reply.typeIds.push(view.getInt32(p));
        p += 4 + 2 + 4 + 2; // type oid, size, modifier, format
      }
    } else if (type === 0x45 /* E: error */) {
      reply.error = true;
    }
    at += 1 + length;
  }
  return reply;
}

/** A parameter as PostgreSQL's text format, or undefined when this path does not send such a value. */
function asText(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value === "string") return value.includes("\0") ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return undefined;
}

/** Drizzle's own row mapping (what its drivers call; exported at runtime, not in its types). */
const mapResultRow = (drizzleUtils as unknown as { mapResultRow: (fields: never, row: unknown[], joins?: Record<string, boolean>) => unknown }).mapResultRow;

let names = 0;

function isDrizzlePglitePrepared(statement: unknown): statement is DrizzlePglitePrepared {
  const s = statement as Partial<DrizzlePglitePrepared> | null;
  return !!s && typeof s.queryString === "string" && Array.isArray(s.params) && typeof (s.client as PGlite | undefined)?.execProtocolRaw === "function";
}

/**
 * Gives a drizzle prepared statement on PGlite the fast path (any other
 * statement is answered as it is). Only statements that select fields (rows
 * mapped by drizzle) take it.
 */
export function withPgliteFastPath<T>(statement: T): T {
  if (!isDrizzlePglitePrepared(statement) || !statement.fields || statement.customResultMapper) return statement;
  const prepared = statement;
  const client = prepared.client;
  const slow = prepared.execute.bind(prepared);
  const name = `hot_${++names}`;
  const parsers = prepared.queryConfig?.parsers ?? {};
  let typeIds: number[] | null = null;

  const run = (bytes: Uint8Array) =>
    client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        // Held by someone's open transaction (cannot happen under both locks, but never run inside one).
        if (client.isInTransaction()) return null;
        return readReply(await client.execProtocolRaw(bytes, { syncToFs: false }));
      }),
    );

  prepared.execute = async (values: Record<string, unknown> = {}) => {
    const params = (fillPlaceholders(prepared.params as never, values) as unknown[]).map(asText);
    if (params.some((p) => p === undefined)) return slow(values);
    if (!typeIds) {
      await client._checkReady();
      const made = await run(concat([message("P", [cstring(name), cstring(prepared.queryString), int16(0)]), message("D", [enc.encode("S"), cstring(name)]), SYNC]));
      if (!made || made.error) return slow(values);
      typeIds = made.typeIds;
    }
    const args = params.flatMap((p) => {
      if (p === null) return [int32(-1)];
      const bytes = enc.encode(p);
      return [int32(bytes.length), bytes];
    });
    const reply = await run(concat([message("B", [cstring(""), cstring(name), int16(0), int16(params.length), ...args, int16(0)]), message("E", [cstring(""), int32(0)]), SYNC]));
    if (!reply || reply.error) {
      // E.g. a schema change under a cached plan: prepare again next time, and let drizzle answer (or throw) this time.
      typeIds = null;
      await run(concat([message("C", [enc.encode("S"), cstring(name)]), SYNC]));
      return slow(values);
    }
    const ids = typeIds;
    return reply.rows.map((row) =>
      mapResultRow(
        prepared.fields as never,
        row.map((text, i) => (text === null ? null : types.parseType(text, ids[i]!, parsers))),
        prepared.joinsNotNullableMap,
      ),
    );
  };
  return statement;
}
