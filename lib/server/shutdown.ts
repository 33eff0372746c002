import "server-only";
import { describeError, log } from "@/lib/log";

/**
 * Graceful shutdown on SIGTERM/SIGINT: no new work, the requests and job
 * steps in progress finish (within a time limit), then the database is
 * closed and the process exits. A second signal exits at once.
 *
 * `next start` has its own handler for both signals: it closes the HTTP
 * listener, waits for the open connections to end, then calls process.exit.
 * That exit would cut off a job step or the database close still running
 * here, so while the drain runs, process.exit only records that the framework
 * is done (the sign that every request has ended, pages and server actions
 * included); the process exits when the drain is over. Nothing has to be
 * configured for this (NEXT_MANUAL_SIG_HANDLE stays unset, so that the
 * listener is closed). API requests are also counted here, in withApi.
 *
 * The state lives on globalThis: Next bundles instrumentation and route
 * handlers separately, so module state would not be shared between them.
 */
interface State {
  draining: boolean;
  inFlight: number;
  idle: Set<() => void>;
}

const g = globalThis as unknown as { __swShutdown?: State };
const state = (): State => (g.__swShutdown ??= { draining: false, inFlight: 0, idle: new Set() });

/** True once a shutdown has begun. */
export const isDraining = (): boolean => state().draining;

/** Runs one request's work, counted, so that a shutdown waits for it. */
export async function trackRequest<T>(work: () => Promise<T>): Promise<T> {
  const s = state();
  s.inFlight++;
  try {
    return await work();
  } finally {
    s.inFlight--;
    if (s.inFlight === 0) {
      for (const done of s.idle) done();
      s.idle.clear();
    }
  }
}

function requestsFinished(): Promise<void> {
  const s = state();
  return s.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => s.idle.add(resolve));
}

/** Answers true when `work` settles within `ms`, false when the time runs out first. */
function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/** From now on, process.exit only resolves `requested`; `exit` is the real one. */
function holdExit(): { requested: Promise<void>; exit: (code: number) => never } {
  const exit = process.exit.bind(process) as (code: number) => never;
  let resolve!: () => void;
  const requested = new Promise<void>((r) => (resolve = r));
  process.exit = (() => resolve()) as unknown as typeof process.exit;
  return { requested, exit };
}

export interface ShutdownSteps {
  /** The longest the drain may take before the database is closed anyway. */
  timeoutMs: number;
  /** Stops starting job steps and answers when the steps in progress have finished. */
  stopJobs: () => Promise<void>;
  closeDb: () => Promise<void>;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

async function drainAndExit(signal: (typeof SIGNALS)[number], steps: ShutdownSteps, frameworkDrains: boolean): Promise<void> {
  const started = Date.now();
  const { requested, exit } = holdExit();
  state().draining = true;
  log.info("server.stopping", { signal, timeoutMs: steps.timeoutMs });

  const jobs = steps.stopJobs().catch((err) => log.error("server.jobs_stop_failed", describeError(err)));
  const drained = await within(steps.timeoutMs, Promise.all([requestsFinished(), jobs, frameworkDrains ? requested : undefined]));
  if (!drained) log.warn("server.drain_timeout", { timeoutMs: steps.timeoutMs, requests: state().inFlight });

  let closed = true;
  try {
    await steps.closeDb();
  } catch (err) {
    closed = false;
    log.error("server.db_close_failed", describeError(err));
  }
  log.info("server.stopped", { signal, drained, ms: Date.now() - started });
  exit(drained && closed ? 0 : 1);
}

/** Takes SIGTERM and SIGINT for the graceful shutdown; call once per process. */
export function installShutdown(steps: ShutdownSteps): void {
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    for (const s of SIGNALS) process.off(s, onSignal);
    // Whatever else still listens is the framework's own handler, which drains the HTTP server and then exits.
    const frameworkDrains = process.listenerCount(signal) > 0;
    const exit = process.exit.bind(process) as (code: number) => never;
    const now = (again: (typeof SIGNALS)[number]) => {
      log.warn("server.stop_forced", { signal: again });
      exit(SIGNAL_EXIT_CODES[again]);
    };
    for (const s of SIGNALS) process.once(s, now);
    void drainAndExit(signal, steps, frameworkDrains);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
}
