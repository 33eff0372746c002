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
  /** The first log line with this `msg`, waiting for it (up to a minute). */
  logged: (msg: string) => Promise<Record<string, unknown>>;
}

export function watch(child: ChildProcess): Spawned {
  const lines: Record<string, unknown>[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    readline.createInterface({ input: stream }).on("line", (line) => {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: "(text)", line });
      }
    });
  }
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on("close", (c) => resolve((code = c))));
  const logged = async (msg: string) => {
    for (const until = Date.now() + 60_000; Date.now() < until; await sleep(50)) {
      const found = lines.find((l) => l.msg === msg);
      if (found) return found;
      if (code !== undefined) break;
    }
    throw new Error(`the app did not log ${msg}; it logged:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`);
  };
  return { exited, hasExited: () => code !== undefined, logged };
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
