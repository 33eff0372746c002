// Helpers for tests that run the app in a process of its own and talk to it
// over HTTP: its JSON log lines, its exit, and plain node:http answers (for
// requests sent in pieces or on one kept-alive connection).
import type { ChildProcess } from "node:child_process";
import type http from "node:http";
import readline from "node:readline";
import { sleep } from "./netns";

export { sleep };

export interface Spawned {
  /** The exit code, once the process has exited and its output has been read to the end. */
  exited: Promise<number | null>;
  hasExited: () => boolean;
  /** The first log line with this `msg`: waits for it, and fails once the process has exited without it. */
  logged: (msg: string) => Promise<Record<string, unknown>>;
  /** The first `times` log lines with this `msg` (one per worker of a cluster, say), waiting as `logged` does. */
  loggedTimes: (msg: string, times: number) => Promise<Record<string, unknown>[]>;
}

export function watch(child: ChildProcess): Spawned {
  const lines: Record<string, unknown>[] = [];
  // Re-checked on every line and at the exit: waiting is on the output, never on a clock.
  const waiting = new Set<() => void>();
  const wake = () => {
    for (const check of [...waiting]) check();
  };
  let open = 0;
  let code: number | null | undefined;
  let closed!: (c: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (closed = resolve));
  child.on("close", (c) => {
    code = c;
    closed(c);
    wake();
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    open++;
    readline
      .createInterface({ input: stream })
      .on("line", (line) => {
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ msg: "(text)", line });
        }
        wake();
      })
      .on("close", () => {
        open--;
        wake();
      });
  }
  const loggedTimes = (msg: string, times: number) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const check = () => {
        const found = lines.filter((l) => l.msg === msg);
        if (found.length >= times) {
          waiting.delete(check);
          resolve(found.slice(0, times));
        } else if (code !== undefined && open === 0) {
          waiting.delete(check);
          reject(new Error(`the app exited (${code}) without logging ${msg}${times > 1 ? ` ${times} times` : ""}; it logged:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`));
        }
      };
      waiting.add(check);
      check();
    });
  const logged = async (msg: string) => (await loggedTimes(msg, 1))[0]!;
  return { exited, hasExited: () => code !== undefined, logged, loggedTimes };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
}

export function answerOf(req: http.ClientRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, json: text ? JSON.parse(text) : null }));
    });
  });
}

/** PGlite's pg_control: 1 once the database was shut down cleanly, 6 while it is open (or was left open). */
export const PGLITE_SHUT_DOWN = 1;
export async function pgliteState(dataDir: string): Promise<number> {
  const fs = await import("node:fs/promises");
  const path = await import("node:path");
  return (await fs.readFile(path.join(dataDir, "global", "pg_control"))).readUInt32LE(16);
}
