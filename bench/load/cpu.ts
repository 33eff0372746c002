import fs from "node:fs";

/**
 * CPU time of processes on this machine, from /proc (Linux): the app (every
 * process of its process group, so a server with worker processes counts
 * whole), the PostgreSQL server (every process named `postgres`) and the
 * measuring process itself. Read before and after a phase, the difference
 * divided by the requests is the CPU a request cost each of them.
 */
const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

interface Stat {
  pid: number;
  comm: string;
  pgrp: number;
  ms: number;
}

function stats(): Stat[] {
  const out: Stat[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid pgrp ... utime(14) stime(15): comm may hold spaces and parentheses, so split after its last ")".
      const close = text.lastIndexOf(")");
      const comm = text.slice(text.indexOf("(") + 1, close);
      const f = text.slice(close + 2).split(" ");
      out.push({ pid: Number(name), comm, pgrp: Number(f[2]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

export interface CpuReading {
  app: number;
  database: number;
  client: number;
}

/** Cumulative CPU ms of the app's process group `appGroup`, of PostgreSQL, and of this process. */
export function readCpu(appGroup: number): CpuReading {
  let app = 0;
  let database = 0;
  for (const s of stats()) {
    if (s.pgrp === appGroup) app += s.ms;
    else if (s.comm === "postgres") database += s.ms;
  }
  const self = process.cpuUsage();
  return { app, database, client: (self.user + self.system) / 1000 };
}

/** CPU ms per request of each part between two readings. */
export function perRequest(before: CpuReading, after: CpuReading, requests: number): CpuReading {
  const per = (k: keyof CpuReading) => (requests > 0 ? (after[k] - before[k]) / requests : 0);
  return { app: per("app"), database: per("database"), client: per("client") };
}
