import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One process per embedded data directory.
 *
 * PGlite has no lock of its own: two processes on one directory each see only
 * their own writes and one of them silently loses what it wrote. The holder
 * of a directory keeps a lock file next to it (`<dir>.lock`, outside the
 * directory so that it never ends up in a snapshot and PGlite never sees a
 * foreign file in its cluster) naming the process: pid, host, boot and the
 * process's start time.
 *
 * A lock whose process is gone (a crash, a kill -9) is stale and is taken
 * over. A pid can be reused by an unrelated process; on Linux the boot id and
 * the process start time from /proc tell such a process apart from the
 * holder. Where /proc is missing, a reused pid keeps the lock until that
 * process ends or the file is removed by hand. A lock written on another host
 * (a shared network folder) cannot be checked from here and is always
 * respected.
 */

export interface LockOwner {
  pid: number;
  hostname: string;
  /** Linux boot id: a pid from an earlier boot names no process of this one. */
  bootId: string | null;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat), to tell a reused pid apart. */
  startTicks: string | null;
  startedAt: string;
  command: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner | null,
  ) {
    super(
      owner
        ? `The data directory ${dir} is in use by process ${owner.pid} (${owner.command}) on ${owner.hostname}, since ${owner.startedAt}. ` +
            `Only one process may open an embedded database: stop that process first (lock file ${lockPathOf(dir)}).`
        : `The data directory ${dir} is in use by another process (lock file ${lockPathOf(dir)}).`,
    );
    this.name = "DataDirLockedError";
  }
}

export const lockPathOf = (dir: string): string => `${path.resolve(dir)}.lock`;

function readOr<T>(file: string, parse: (s: string) => T): T | null {
  try {
    return parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const bootId = (): string | null => readOr("/proc/sys/kernel/random/boot_id", (s) => s.trim());

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its end. */
function startTicksOf(pid: number): string | null {
  return readOr(`/proc/${pid}/stat`, (s) => s.slice(s.lastIndexOf(")") + 2).split(" ")[19] ?? null);
}

function describeSelf(): LockOwner {
  const script = process.argv.slice(1).map((a) => path.relative(process.cwd(), a) || a);
  return {
    pid: process.pid,
    hostname: os.hostname(),
    bootId: bootId(),
    startTicks: startTicksOf(process.pid),
    startedAt: new Date().toISOString(),
    command: ["node", ...script].join(" ").slice(0, 200),
  };
}

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o.pid === "number" && typeof o.hostname === "string" ? o : null;
  } catch {
    return null;
  }
}

/** Whether the process a lock names is still the one that wrote it. */
export function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  const boot = bootId();
  if (owner.bootId && boot && owner.bootId !== boot) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const ticks = startTicksOf(owner.pid);
  return !(owner.startTicks && ticks && owner.startTicks !== ticks);
}

const held = new Map<string, string>();
let exitHookInstalled = false;

/** Removes the lock file if it is still this process's own. */
function releaseSync(file: string): void {
  const mine = held.get(file);
  held.delete(file);
  if (mine === undefined) return;
  try {
    if (fs.readFileSync(file, "utf8") === mine) fs.unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/**
 * Takes the lock of `dir` for this process, or throws DataDirLockedError
 * naming the holder. Answers the release, which is also run at process exit.
 */
export function lockDataDir(dir: string): () => void {
  const file = lockPathOf(dir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const text = JSON.stringify(describeSelf(), null, 2) + "\n";
  // A few rounds cover processes racing for the same stale lock; each round either takes it, refuses, or sees the file change.
  for (let round = 0; round < 10; round++) {
    try {
      const fd = fs.openSync(file, "wx", 0o600);
      try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      held.set(file, text);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.on("exit", () => {
          for (const f of [...held.keys()]) releaseSync(f);
        });
      }
      return () => releaseSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const seen = readOr(file, (s) => s);
    if (seen === null) continue; // released meanwhile
    const owner = parseOwner(seen);
    // An empty or torn file is a holder still writing it (it writes right after creating): respected, unless older than a minute.
    if (!owner) {
      const age = readOr(file, () => Date.now() - fs.statSync(file).mtimeMs) ?? 0;
      if (age < 60_000) throw new DataDirLockedError(dir, null);
    } else if (owner.pid === process.pid && owner.hostname === os.hostname()) {
      // Our own pid: held already by this process (a second open here would diverge just the same), or left by an
      // earlier process that had the same pid (a container restarted), and so stale.
      if (held.has(file)) throw new DataDirLockedError(dir, owner);
    } else if (isAlive(owner)) {
      throw new DataDirLockedError(dir, owner);
    }
    // Stale: move it aside, then check that what was moved is the stale file
    // judged above and not a fresh lock another process took over meanwhile.
    const aside = `${file}.stale-${process.pid}-${round}`;
    try {
      fs.renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    const moved = readOr(aside, (s) => s);
    if (moved !== seen) {
      // Someone else's fresh lock: put it back (link fails if yet another process created one in the gap).
      try {
        fs.linkSync(aside, file);
      } catch {
        // That other process holds the lock now; the next round sees it.
      }
    }
    fs.rmSync(aside, { force: true });
  }
  throw new DataDirLockedError(dir, parseOwner(readOr(file, (s) => s) ?? ""));
}
