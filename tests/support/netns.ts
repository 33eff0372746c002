// Network-namespace helpers for tests that run real WireGuard (userspace
// wireguard-go) between namespaces joined by veth pairs. Adapted from the
// approach of tests/wireguard/interop.test.ts.
//
// Everything a Lab creates (namespaces, root-namespace links, processes,
// temporary directories) is recorded and torn down by `cleanup()`, which is
// idempotent and never throws; a process "exit" hook repeats it
// synchronously in case afterAll never ran. Processes are ended by their pid
// only.
//
// One caveat the names must respect: wireguard-go and `wg` find a userspace
// interface through /var/run/wireguard/<iface>.sock, a path shared by every
// network namespace. Two concurrent tests bringing up an interface of the
// same name would talk to each other's wireguard-go, so give interfaces
// unique names (see `uniqueSuffix`).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const WG_GO_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: "1" } as const;
const WG_SOCKET_DIR = "/var/run/wireguard";

export function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", 'command -v "$1"', "sh", cmd], { stdio: "ignore" }).status === 0;
}

/** Lowercase alphanumerics, so that "wgs" + suffix stays a valid interface name (≤ 15 chars). */
export function uniqueSuffix(length = 6): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join("");
}

/** Runs a command synchronously, returning stdout; throws with stderr on a non-zero exit. */
export function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}: ${r.stderr?.toString().trim()}`);
  }
  return r.stdout.toString();
}

/** Like run, but never throws: for cleanup and for commands expected to fail. */
export function tryRun(cmd: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
  return { code: r.error ? null : r.status, stdout: r.stdout?.toString() ?? "", stderr: r.stderr?.toString() ?? r.error?.message ?? "" };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command without blocking the event loop: required whenever the
 * command talks back to a server living in this process (the agent and the
 * HTTP adapter). Killed with SIGKILL after timeoutMs.
 */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; track?: (p: ChildProcess) => void; untrack?: (p: ChildProcess) => void } = {},
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    opts.track?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid && child.exitCode === null) process.kill(child.pid, "SIGKILL");
    }, opts.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      opts.untrack?.(child);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      opts.untrack?.(child);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Thrown by a `waitFor` check when what it waits for can no longer happen (the process died): the wait ends at once. */
export class GaveUp extends Error {}

/**
 * Polls `check` until it returns a truthy value. What is waited for (a
 * reply, a handshake, a socket) comes within a second on an idle machine; the
 * time limit is only there to name what never came, and is far beyond what a
 * busy machine takes.
 */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, { timeoutMs = 60_000, intervalMs = 100 } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      if (err instanceof GaveUp) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Why real tunnels cannot run here, or null when they can: root, a working
 * `ip netns` with veth pairs, /dev/net/tun, and the tools on PATH.
 */
export function canRunTunnels(): string | null {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return "not running as root";
  if (!existsSync("/dev/net/tun")) return "/dev/net/tun does not exist";
  const tools: [string, string][] = [
    ["ip", "iproute2"],
    ["wg", "wireguard-tools"],
    ["wg-quick", "wireguard-tools"],
    ["wireguard-go", "wireguard-go"],
    ["ping", "iputils-ping"],
    ["curl", "curl"],
  ];
  const missing = tools.filter(([cmd]) => !onPath(cmd));
  if (missing.length > 0) {
    return `not on PATH: ${missing.map(([cmd, pkg]) => `${cmd} (apt-get install ${pkg})`).join(", ")}`;
  }
  const probe = `sw-probe-${process.pid}-${uniqueSuffix(4)}`;
  const add = tryRun("ip", ["netns", "add", probe]);
  if (add.code !== 0) return `\`ip netns add\` fails: ${add.stderr.trim()}`;
  try {
    const veth = tryRun("ip", ["-n", probe, "link", "add", "swpa", "type", "veth", "peer", "name", "swpb"]);
    if (veth.code !== 0) return `cannot create a veth pair: ${veth.stderr.trim()}`;
    const exec = tryRun("ip", ["netns", "exec", probe, "true"]);
    if (exec.code !== 0) return `\`ip netns exec\` fails: ${exec.stderr.trim()}`;
  } finally {
    tryRun("ip", ["netns", "del", probe]);
  }
  return null;
}

/** A network namespace; commands run in it through `ip netns exec`. */
export class Netns {
  constructor(
    readonly name: string,
    private readonly lab: Lab,
  ) {}

  /** `ip -n <ns> …` */
  ip(...args: string[]): string {
    return run("ip", ["-n", this.name, ...args]);
  }

  /** Runs a command inside the namespace, synchronously; throws on a non-zero exit. */
  exec(args: string[], input?: string): string {
    return run("ip", ["netns", "exec", this.name, ...args], input);
  }

  /** Runs a command inside the namespace, never throwing on its exit code. */
  tryExec(args: string[]): { code: number | null; stdout: string; stderr: string } {
    return tryRun("ip", ["netns", "exec", this.name, ...args]);
  }

  /** Runs a command inside the namespace without blocking the event loop. */
  execAsync(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
    return runAsync("ip", ["netns", "exec", this.name, ...args], {
      ...opts,
      track: (p) => this.lab.track(p),
      untrack: (p) => this.lab.untrack(p),
    });
  }

  /**
   * Starts userspace WireGuard in the foreground (`ip netns exec` execs it,
   * so the pid we hold is wireguard-go's) and waits until `wg` sees it.
   */
  async wireguardGo(iface: string): Promise<ChildProcess> {
    if (existsSync(join(WG_SOCKET_DIR, `${iface}.sock`)) && tryRun("wg", ["show", iface]).code === 0) {
      throw new Error(`a wireguard-go interface named ${iface} already runs somewhere on this machine; use a unique name`);
    }
    const logs: string[] = [];
    const child = this.lab.spawn("ip", ["netns", "exec", this.name, "wireguard-go", "-f", iface], {
      env: { ...process.env, ...WG_GO_ENV, LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d: Buffer) => logs.push(d.toString()));
    child.stderr!.on("data", (d: Buffer) => logs.push(d.toString()));
    this.lab.sockets.add(join(WG_SOCKET_DIR, `${iface}.sock`));
    try {
      await waitFor(`wireguard-go ${iface} in ${this.name}`, () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new GaveUp(`wireguard-go exited ${child.exitCode ?? child.signalCode}: ${logs.join("").trim()}`);
        return this.tryExec(["wg", "show", iface]).code === 0;
      }, { intervalMs: 50 });
    } catch (err) {
      throw new Error(`${String(err)}\n${logs.join("")}`);
    }
    return child;
  }

  /** Pids of the processes whose network namespace this is (`ip netns pids`). */
  pids(): number[] {
    return tryRun("ip", ["netns", "pids", this.name]).stdout.split(/\s+/).filter(Boolean).map(Number);
  }

  /**
   * `wg-quick up|down <file>` inside the namespace, the way a Linux client
   * runs a downloaded config: the file unchanged (its name, minus ".conf",
   * is the interface's), userspace WireGuard (wireguard-go, daemonized by
   * wg-quick), and `resolvconf` answered by the lab's stub (see
   * `Lab.resolvconfStub`), so the DNS line is applied without touching the
   * machine's resolver. On `up` the daemon is adopted by the lab, which ends
   * it if the test never brings the interface down.
   */
  async wgQuick(action: "up" | "down", configFile: string, resolvconf: ResolvconfStub): Promise<RunResult> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...WG_GO_ENV,
      WG_QUICK_USERSPACE_IMPLEMENTATION: "wireguard-go",
      PATH: `${resolvconf.dir}:${process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"}`,
    };
    // With LOG_LEVEL set, the daemonized wireguard-go keeps our stdout and stderr open, and the run never ends.
    delete env.LOG_LEVEL;
    const r = await this.execAsync(["wg-quick", action, configFile], { env, timeoutMs: 45_000 });
    const iface = /([^/]+)\.conf$/.exec(configFile)?.[1];
    if (action === "up" && iface) {
      this.lab.sockets.add(join(WG_SOCKET_DIR, `${iface}.sock`));
      for (const pid of this.pids()) if (commOf(pid) === "wireguard-go") this.lab.adopt(pid, "wireguard-go");
    }
    return r;
  }

  /** Adds addresses (CIDR; IPv6 ones without duplicate address detection) and sets the link up. */
  configureInterface(iface: string, addresses: string[], opts: { mtu?: number } = {}): void {
    for (const a of addresses) {
      if (a.includes(":")) this.ip("-6", "addr", "add", a, "dev", iface, "nodad");
      else this.ip("addr", "add", a, "dev", iface);
    }
    this.ip("link", "set", iface, ...(opts.mtu ? ["mtu", String(opts.mtu)] : []), "up");
  }
}

/** One end of a veth pair: in a namespace, or in the root namespace when ns is null. */
export interface VethEnd {
  ns: Netns | null;
  ifname: string;
  /** CIDR, e.g. "192.168.77.1/24" */
  address?: string;
}

/** A `resolvconf` on PATH that only records how it was called (arguments, then what it read), one call per entry. */
export interface ResolvconfStub {
  dir: string;
  calls(): { args: string[]; input: string }[];
}

/**
 * A real `resolvconf` that wg-quick would run instead of the lab's stub, or
 * null: wg-quick puts its own directory first on PATH, so a resolvconf there
 * (systemd's resolvectl link, say) shadows the stub. Tests then leave the DNS
 * line out rather than change the machine's resolver.
 */
export function resolvconfBesideWgQuick(): string | null {
  const wgQuick = tryRun("sh", ["-c", 'readlink -f "$(command -v wg-quick)"']).stdout.trim();
  if (!wgQuick) return null;
  const beside = join(dirname(wgQuick), "resolvconf");
  return existsSync(beside) ? beside : null;
}

/** A process's command name (/proc/<pid>/comm), or null once it is gone. */
export function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return null;
  }
}

const liveLabs = new Set<Lab>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const lab of liveLabs) lab.cleanupSync();
  });
}

/** Owns everything a test creates, so that one call tears it all down. */
export class Lab {
  readonly namespaces: Netns[] = [];
  readonly rootLinks: string[] = [];
  readonly procs = new Set<ChildProcess>();
  readonly dirs: string[] = [];
  readonly sockets = new Set<string>();
  private readonly onCleanup: (() => void | Promise<void>)[] = [];

  constructor() {
    liveLabs.add(this);
    installExitHook();
  }

  /** Processes the lab did not spawn itself (a daemon wg-quick started), by pid and the command name they must still have. */
  readonly adopted = new Map<number, string>();

  adopt(pid: number, comm: string): void {
    this.adopted.set(pid, comm);
  }

  /** Writes a stub `resolvconf` into a directory of its own (see ResolvconfStub). */
  resolvconfStub(): ResolvconfStub {
    const dir = this.tmpDir("sw-resolvconf-");
    const log = join(dir, "calls.log");
    const script = join(dir, "resolvconf");
    // One record per call: the arguments on one line, then stdin (empty unless -a), then a separator.
    writeFileSync(
      script,
      `#!/bin/sh\n{ printf '%s\\n' "$*"; case "$1" in -a) cat ;; esac; printf '%s\\n' '--'; } >> '${log}'\n`,
    );
    chmodSync(script, 0o755);
    return {
      dir,
      calls: () => {
        if (!existsSync(log)) return [];
        return readFileSync(log, "utf8")
          .split(/^--\n/m)
          .filter(Boolean)
          .map((rec) => {
            const [first = "", ...rest] = rec.split("\n");
            return { args: first.split(" ").filter(Boolean), input: rest.join("\n") };
          });
      },
    };
  }

  track(p: ChildProcess): void {
    this.procs.add(p);
  }

  untrack(p: ChildProcess): void {
    this.procs.delete(p);
  }

  spawn(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
    const child = spawn(cmd, args, opts);
    this.track(child);
    child.on("exit", () => this.untrack(child));
    return child;
  }

  namespace(name: string): Netns {
    run("ip", ["netns", "add", name]);
    const ns = new Netns(name, this);
    this.namespaces.push(ns);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** A veth pair between two namespaces (or one and the root namespace), addressed and up. */
  veth(a: VethEnd, b: VethEnd): void {
    for (const e of [a, b]) if (e.ifname.length > 15) throw new Error(`interface name too long: ${e.ifname}`);
    const where = (e: VethEnd) => (e.ns ? ["netns", e.ns.name] : []);
    // Created in the root namespace, then each end moved where it belongs.
    run("ip", ["link", "add", a.ifname, ...where(a), "type", "veth", "peer", "name", b.ifname, ...where(b)]);
    for (const e of [a, b]) {
      if (!e.ns) this.rootLinks.push(e.ifname);
      const ip = (...args: string[]) => run("ip", [...(e.ns ? ["-n", e.ns.name] : []), ...args]);
      if (e.address) ip("addr", "add", e.address, "dev", e.ifname);
      ip("link", "set", e.ifname, "up");
    }
  }

  tmpDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Extra teardown (an HTTP server…), run first by cleanup(). */
  defer(fn: () => void | Promise<void>): void {
    this.onCleanup.push(fn);
  }

  /** Ends processes (SIGTERM, then SIGKILL after graceMs), deletes namespaces, links and directories. Never throws. */
  async cleanup(graceMs = 2_000): Promise<string[]> {
    const problems: string[] = [];
    for (const fn of this.onCleanup.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        problems.push(String(err));
      }
    }
    const procs = [...this.procs].filter((p) => p.pid && p.exitCode === null && p.signalCode === null);
    const exited = procs.map((p) => new Promise<void>((r) => p.once("exit", () => r())));
    for (const p of procs) signal(p, "SIGTERM");
    await Promise.race([Promise.all(exited), sleep(graceMs)]);
    for (const p of procs) {
      if (p.exitCode === null && p.signalCode === null) {
        problems.push(`pid ${p.pid} ignored SIGTERM`);
        signal(p, "SIGKILL");
      }
    }
    await Promise.race([Promise.all(exited), sleep(graceMs)]);
    this.cleanupSync(problems);
    return problems;
  }

  /** The synchronous part of cleanup (also the process-exit safety net). */
  cleanupSync(problems: string[] = []): void {
    for (const p of this.procs) if (p.exitCode === null && p.signalCode === null) signal(p, "SIGKILL");
    this.procs.clear();
    // Checked by name first: a pid that has since been reused by another process is left alone.
    for (const [pid, comm] of this.adopted) {
      if (commOf(pid) !== comm) continue;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    this.adopted.clear();
    for (const ns of this.namespaces.splice(0)) {
      const r = tryRun("ip", ["netns", "del", ns.name]);
      if (r.code !== 0) problems.push(`ip netns del ${ns.name}: ${r.stderr.trim()}`);
    }
    // Deleting a namespace destroys the veth ends in it and so their peers; this catches the rest.
    for (const link of this.rootLinks.splice(0)) {
      if (tryRun("ip", ["link", "show", link]).code === 0) tryRun("ip", ["link", "del", link]);
    }
    // wireguard-go removes its socket on SIGTERM, not on SIGKILL.
    for (const s of this.sockets) rmSync(s, { force: true });
    this.sockets.clear();
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    liveLabs.delete(this);
  }
}

function signal(p: ChildProcess, sig: NodeJS.Signals) {
  try {
    if (p.pid) process.kill(p.pid, sig);
  } catch {
    /* already gone */
  }
}

/**
 * A /24 of the form 192.168.X.0/24 (X from the given range) that no address
 * or route of the root namespace uses, for the link between the root
 * namespace and a test namespace.
 */
export function freeRootSubnet(from = 78, to = 199): string {
  const used = run("ip", ["-4", "-o", "addr", "show"]) + run("ip", ["-4", "route", "show", "table", "all"]);
  const candidates: number[] = [];
  for (let x = from; x <= to; x++) if (!used.includes(`192.168.${x}.`)) candidates.push(x);
  if (candidates.length === 0) throw new Error(`no free 192.168.${from}-${to}.0/24 in the root namespace`);
  // Random, so that concurrent runs (which both see the same free ones) rarely pick the same.
  const x = candidates[Math.floor(Math.random() * candidates.length)]!;
  return `192.168.${x}`;
}
