import "server-only";
import { and, desc, eq, getTableColumns, inArray, like, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { jobRuns } from "@/db/schema";
import { decodeCursor, encodeCursor, timestampKey } from "@/lib/dal/keyset-cursor";
import { toDto, type JobRunDto } from "./runs";

/**
 * The admin jobs page's list of runs: filtered by job and outcome, newest
 * first, keyset-paginated on (started_at, id). "interrupted" is a failed run
 * whose process stopped under it (the API's statuses stay running, succeeded,
 * failed); "failed" then means failed on its own.
 */
export const RUN_STATUS_FILTERS = ["running", "succeeded", "failed", "interrupted"] as const;
export type RunStatusFilter = (typeof RUN_STATUS_FILTERS)[number];

export interface RunListFilters {
  job?: string;
  status?: RunStatusFilter;
  /**
   * Jobs whose succeeded runs that counted nothing are left out (the
   * every-minute email job with an empty outbox would otherwise fill the list).
   */
  hideEmptyOf?: readonly string[];
  cursor?: string | null;
  limit?: number;
}

// Microseconds, so that two runs started in the same millisecond are neither skipped nor repeated.
const startedKey = timestampKey(sql`${jobRuns.startedAt}`);

const INTERRUPTED = like(jobRuns.error, "interrupted:%");

function statusWhere(status: RunStatusFilter | undefined) {
  switch (status) {
    case "running":
    case "succeeded":
      return eq(jobRuns.status, status);
    case "failed":
      return and(eq(jobRuns.status, "failed"), sql`coalesce(${jobRuns.error}, '') not like 'interrupted:%'`);
    case "interrupted":
      return and(eq(jobRuns.status, "failed"), INTERRUPTED);
    default:
      return undefined;
  }
}

export async function listRunsPage(f: RunListFilters = {}): Promise<{ items: JobRunDto[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(f.limit ?? 30, 1), 200);
  const after = f.cursor ? (([at, id]) => ({ at, id }))(decodeCursor(f.cursor, ["time", "id"] as const)) : null;
  const quiet = f.hideEmptyOf?.length ? f.hideEmptyOf : null;
  const db = await getDb();
  const found = await db
    .select({ ...getTableColumns(jobRuns), key: startedKey })
    .from(jobRuns)
    .where(
      and(
        f.job ? eq(jobRuns.job, f.job) : undefined,
        statusWhere(f.status),
        quiet
          ? sql`not (${inArray(jobRuns.job, [...quiet])} and ${jobRuns.status} = 'succeeded'
                     and not exists (select 1 from jsonb_each(${jobRuns.counts}) c where c.value <> '0'::jsonb))`
          : undefined,
        after ? sql`(${jobRuns.startedAt}, ${jobRuns.id}) < (${after.at}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(desc(jobRuns.startedAt), desc(jobRuns.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => toDto(row)),
    nextCursor: found.length > limit && last ? encodeCursor([last.key, last.id]) : null,
  };
}
