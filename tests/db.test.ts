import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { describeDatabaseUrl } from "@/db/client";

describe("database", () => {
  it("is migrated: every foundation table exists", async () => {
    const db = await getDb();
    const tables = await rows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = tables.map((t) => t.table_name);
    for (const t of ["users", "accounts", "sessions", "verification_tokens", "plans", "subscriptions", "api_tokens", "audit_log", "email_outbox", "job_runs", "sign_in_attempts"]) {
      expect(names).toContain(t);
    }
  });

  it("resolves DATABASE_URL to the right driver", () => {
    expect(describeDatabaseUrl(undefined, "/srv/data")).toEqual({ kind: "pglite", dir: "/srv/data/pglite" });
    expect(describeDatabaseUrl("memory://", "/x")).toEqual({ kind: "pglite", dir: null });
    expect(describeDatabaseUrl("file:/var/lib/sw", "/x")).toEqual({ kind: "pglite", dir: "/var/lib/sw" });
    expect(describeDatabaseUrl("/var/lib/sw", "/x")).toEqual({ kind: "pglite", dir: "/var/lib/sw" });
    expect(describeDatabaseUrl("postgres://u@h/db", "/x")).toEqual({ kind: "postgres", url: "postgres://u@h/db" });
  });
});
