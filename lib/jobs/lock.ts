import "server-only";
import type { Sql } from "postgres";
import { getDbHandle } from "@/db/client";
import { describeError, log } from "@/lib/log";

/**
 * One run of a job at a time across every app process. On PostgreSQL that is
 * a session advisory lock held on one reserved connection for the whole run
 * (a pooled query could release it on another connection); on PGlite, which
 * only ever has one process per data directory, an in-process flag suffices.
 */
export interface JobLock {
  release(): Promise<void>;
}

const g = globalThis as unknown as { __swJobLocks?: Set<string> };

function tryLocalLock(name: string): JobLock | null {
  const held = (g.__swJobLocks ??= new Set());
  if (held.has(name)) return null;
  held.add(name);
  return { release: async () => void held.delete(name) };
}

async function tryAdvisoryLock(client: Sql, name: string): Promise<JobLock | null> {
  const key = `job:${name}`;
  const conn = await client.reserve();
  let locked = false;
  try {
    const [row] = await conn`select pg_try_advisory_lock(hashtext(${key})) as locked`;
    locked = row?.locked === true;
  } finally {
    if (!locked) conn.release();
  }
  if (!locked) return null;
  return {
    release: async () => {
      try {
        await conn`select pg_advisory_unlock(hashtext(${key}))`;
      } catch (err) {
        // The lock dies with the session if the connection broke; otherwise say so loudly.
        log.error("job lock release failed", { job: name, ...describeError(err) });
      } finally {
        conn.release();
      }
    },
  };
}

export async function tryJobLock(name: string): Promise<JobLock | null> {
  const handle = await getDbHandle();
  if (handle.kind === "postgres") {
    const client = (handle.db as unknown as { $client: Sql }).$client;
    return tryAdvisoryLock(client, name);
  }
  return tryLocalLock(name);
}
