import "server-only";

/**
 * A figure counted over many rows (every device, every subscription) that a
 * page may show a little old: counted at most once per `ttlMs` in this
 * process, one count at a time. Once there is a count, callers get it at
 * once while a newer one is made; a failed recount leaves the old one to
 * serve until the next try. The first call waits for the first count.
 */
export interface RecentCount<T> {
  get(): Promise<T>;
  /** Forget the count (tests). */
  clear(): void;
}

export function recentCount<T>(count: () => Promise<T>, ttlMs: number): RecentCount<T> {
  let last: { at: number; value: T } | null = null;
  let counting: Promise<T> | null = null;
  return {
    async get() {
      if (last && Date.now() - last.at < ttlMs) return last.value;
      counting ??= count()
        .then((value) => {
          last = { at: Date.now(), value };
          return value;
        })
        .finally(() => {
          counting = null;
        });
      if (!last) return counting;
      counting.catch(() => {});
      return last.value;
    },
    clear() {
      last = null;
    },
  };
}
