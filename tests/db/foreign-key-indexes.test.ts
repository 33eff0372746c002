import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";

/**
 * Every foreign key is covered by a whole-table index that starts with its
 * columns. Without one, deleting a parent row (a device, an account, a
 * ticket) makes the database scan the whole child table once per deleted
 * row to cascade, clear or check the link: the connection history of every
 * device, every ticket message, every sign-in attempt. A partial index does
 * not count, since the database's own check asks for every row of the key.
 */
describe("foreign keys", () => {
  it("each has an index that starts with its columns", async () => {
    const missing = await rows<{ child: string; columns: string; parent: string }>(
      await getDb(),
      sql`select c.conrelid::regclass::text as child,
                 (select string_agg(a.attname, ', ' order by k.ord) from unnest(c.conkey) with ordinality k(attnum, ord)
                    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
                 c.confrelid::regclass::text as parent
            from pg_constraint c
            join pg_namespace n on n.oid = c.connamespace and n.nspname = 'public'
           where c.contype = 'f'
             and not exists (
               select 1 from pg_index i
                where i.indrelid = c.conrelid and i.indpred is null
                  and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
                  and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)
           order by 1, 2`,
    );
    expect(missing.map((m) => `${m.child}(${m.columns}) → ${m.parent}`)).toEqual([]);
    // The check sees the keys at all: the schema has dozens of them.
    const [{ n }] = await rows<{ n: number }>(await getDb(), sql`select count(*)::int as n from pg_constraint where contype = 'f'`);
    expect(n).toBeGreaterThan(30);
  });
});
