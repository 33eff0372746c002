import "server-only";
import { fillPlaceholders } from "drizzle-orm";
import * as drizzleUtils from "drizzle-orm/utils";
import { protocol, types, type PGlite } from "@electric-sql/pglite";

/**
 * The embedded database's fast path for the few statements every request
 * runs (the session check, the token check, the config download).
 *
 * PGlite's `query()` with parameters makes six calls into PostgreSQL for one
 * statement (parse, describe, bind, describe, execute, sync), and parses and
 * plans the SQL every time: about 0.6 ms on this machine. PostgreSQL itself
 * can do better: a named statement is parsed once, and each run is one
 * message (bind, execute, sync) and one call, about 0.12 ms
 * (docs/decisions/022). This module sends those messages (built and read
 * with PGlite's own protocol serializer and parser) to PGlite directly
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

const { serialize, Parser } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface Reply {
  rows: (string | null)[][];
  typeIds: number[];
  error: boolean;
}

/** What PostgreSQL answered (read with PGlite's own protocol parser): data rows as text, the row description's types, whether it answered an error. */
function readReply(buf: Uint8Array): Reply {
  const reply: Reply = { rows: [], typeIds: [], error: false };
  new Parser().parse(buf, (message) => {
    const m = message as { name: string; fields?: unknown[] };
    if (m.name === "dataRow") reply.rows.push(m.fields as (string | null)[]);
    else if (m.name === "rowDescription") reply.typeIds = (m.fields as { dataTypeID: number }[]).map((f) => f.dataTypeID);
    else if (m.name === "error") reply.error = true;
  });
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
      const made = await run(concat([serialize.parse({ name, text: prepared.queryString }), serialize.describe({ type: "S", name }), serialize.sync()]));
      if (!made || made.error) return slow(values);
      typeIds = made.typeIds;
    }
    const reply = await run(concat([serialize.bind({ statement: name, values: params as (string | null)[] }), serialize.execute(), serialize.sync()]));
    if (!reply || reply.error) {
      // E.g. a schema change under a cached plan: prepare again next time, and let drizzle answer (or throw) this time.
      typeIds = null;
      await run(concat([serialize.close({ type: "S", name }), serialize.sync()]));
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
