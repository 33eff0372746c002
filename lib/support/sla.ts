import type { TicketPriority, TicketStatus } from "@/db/schema/support";

/**
 * SLA clocks of a support ticket: pure arithmetic, no I/O, safe to import in
 * client components (only types come from the schema).
 *
 * Two clocks run from creation: the first-response clock (stops at the first
 * staff reply; never pauses) and the resolution clock, which stops whenever
 * the ticket is not with support — waiting on the user, resolved or closed —
 * and resumes when it comes back (a user reply, a reopen). The stopped time
 * is added to `slaPausedSeconds` and pushes `slaDueAt` forward by as much, so
 * that `slaDueAt = createdAt + resolution target + slaPausedSeconds` always.
 */

export type SlaTarget = { responseMs: number; resolutionMs: number };
export type SlaTargets = Record<TicketPriority, SlaTarget>;
export type SlaHours = Record<TicketPriority, { response: number; resolution: number }>;

const HOUR = 3_600_000;

/** The product defaults (SLA_* variables override them). */
export const DEFAULT_SLA_HOURS: SlaHours = {
  low: { response: 48, resolution: 168 },
  medium: { response: 24, resolution: 72 },
  high: { response: 4, resolution: 24 },
  urgent: { response: 1, resolution: 4 },
};

export function targetsFromHours(hours: SlaHours): SlaTargets {
  const out = {} as SlaTargets;
  for (const p of Object.keys(hours) as TicketPriority[]) {
    out[p] = { responseMs: Math.round(hours[p].response * HOUR), resolutionMs: Math.round(hours[p].resolution * HOUR) };
  }
  return out;
}

export const DEFAULT_SLA_TARGETS = targetsFromHours(DEFAULT_SLA_HOURS);

/** Statuses in the agents' queue (the partial index support_tickets_queue_idx covers exactly these). */
export const ACTIVE_STATUSES = ["open", "in_progress", "waiting_user", "waiting_support"] as const satisfies readonly TicketStatus[];
/** Statuses during which the resolution clock does not run. */
export const CLOCK_STOPPED_STATUSES = ["waiting_user", "resolved", "closed"] as const satisfies readonly TicketStatus[];

export const isActiveStatus = (s: TicketStatus) => (ACTIVE_STATUSES as readonly string[]).includes(s);
export const isClockRunning = (s: TicketStatus) => !(CLOCK_STOPPED_STATUSES as readonly string[]).includes(s);

/** "Due soon" starts when what is left is within 20% of the target, or within an hour — whichever comes first. */
export const DUE_SOON_SHARE = 0.2;
export const DUE_SOON_MIN_MS = HOUR;
export const dueSoonWindowMs = (targetMs: number) => Math.max(targetMs * DUE_SOON_SHARE, DUE_SOON_MIN_MS);

export interface DueTimes {
  slaResponseDueAt: Date;
  slaDueAt: Date;
}

/** Both deadlines from creation: a priority change recomputes them the same way. */
export function dueTimesFor(createdAt: Date, priority: TicketPriority, pausedSeconds: number, targets: SlaTargets): DueTimes {
  const t = targets[priority];
  return {
    slaResponseDueAt: new Date(createdAt.getTime() + t.responseMs),
    slaDueAt: new Date(createdAt.getTime() + t.resolutionMs + pausedSeconds * 1000),
  };
}

export interface ClockFields {
  slaDueAt: Date;
  slaPausedAt: Date | null;
  slaPausedSeconds: number;
}

/**
 * The resolution clock across a status change at `now`: stops when the ticket
 * leaves support's hands, and on its return adds the stopped time (whole
 * seconds) to the paused total and to the due time. A change between two
 * stopped statuses (waiting_user → resolved) keeps the original stop time.
 */
export function applyStatusChange(clock: ClockFields, from: TicketStatus, to: TicketStatus, now: Date): ClockFields {
  const wasRunning = isClockRunning(from);
  const willRun = isClockRunning(to);
  if (wasRunning && !willRun) return { ...clock, slaPausedAt: clock.slaPausedAt ?? now };
  if (!wasRunning && willRun) {
    if (!clock.slaPausedAt) return { ...clock, slaPausedAt: null };
    const stopped = Math.max(0, Math.floor((now.getTime() - clock.slaPausedAt.getTime()) / 1000));
    return {
      slaDueAt: new Date(clock.slaDueAt.getTime() + stopped * 1000),
      slaPausedAt: null,
      slaPausedSeconds: clock.slaPausedSeconds + stopped,
    };
  }
  return { ...clock };
}

/** The state of a ticket's clocks as an agent should see it now. */
export type SlaState = "breached" | "due_soon" | "on_track" | "paused" | "stopped";

export interface SlaInput {
  status: TicketStatus;
  priority: TicketPriority;
  slaResponseDueAt: Date | string;
  slaDueAt: Date | string;
  slaPausedAt: Date | string | null;
  firstResponseAt: Date | string | null;
  slaBreached: boolean;
  slaResponseBreached: boolean;
}

export interface SlaView {
  state: SlaState;
  responseBreached: boolean;
  resolutionBreached: boolean;
  /** The deadline the countdown shows: the first response while none was given, else the resolution. */
  clock: "response" | "resolution";
  dueAt: Date;
  /** Time left on that deadline (negative once passed); frozen while the clock is stopped. */
  remainingMs: number;
}

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const toDateOrNull = (v: Date | string | null) => (v == null ? null : toDate(v));

/**
 * Computed at read time so that "breached" and "due soon" are never stale:
 * the stored flags (set by the SLA monitor) count, and so does a deadline
 * that passed since the monitor's last run.
 */
export function slaView(t: SlaInput, now: Date, targets: SlaTargets): SlaView {
  const responseDue = toDate(t.slaResponseDueAt);
  const resolutionDue = toDate(t.slaDueAt);
  const pausedAt = toDateOrNull(t.slaPausedAt);
  const firstResponse = toDateOrNull(t.firstResponseAt);
  const active = isActiveStatus(t.status);
  const running = active && isClockRunning(t.status);
  const nowMs = now.getTime();

  const awaitingResponse = active && !firstResponse;
  const responseBreached =
    t.slaResponseBreached ||
    (firstResponse ? firstResponse.getTime() > responseDue.getTime() : awaitingResponse && nowMs >= responseDue.getTime());
  // A stopped clock counts up to the moment it stopped; a resolved or closed ticket only by its flag.
  // (Exactly the SQL of resolutionBreachedSql: coalesce(sla_paused_at, now) on active tickets.)
  const resolutionClockAt = active ? (pausedAt?.getTime() ?? nowMs) : null;
  const resolutionBreached = t.slaBreached || (resolutionClockAt !== null && resolutionClockAt >= resolutionDue.getTime());

  const clock: SlaView["clock"] = awaitingResponse && responseDue.getTime() <= resolutionDue.getTime() ? "response" : "resolution";
  const dueAt = clock === "response" ? responseDue : resolutionDue;
  const clockAt = clock === "response" ? nowMs : (resolutionClockAt ?? nowMs);
  const remainingMs = dueAt.getTime() - clockAt;

  let state: SlaState;
  if (responseBreached || resolutionBreached) state = "breached";
  else if (!active) state = "stopped";
  else {
    const target = targets[t.priority];
    const responseSoon = awaitingResponse && responseDue.getTime() - nowMs <= dueSoonWindowMs(target.responseMs);
    const resolutionSoon = running && resolutionDue.getTime() - nowMs <= dueSoonWindowMs(target.resolutionMs);
    if (responseSoon || resolutionSoon) state = "due_soon";
    else if (!running) state = "paused";
    else state = "on_track";
  }
  return { state, responseBreached, resolutionBreached, clock, dueAt, remainingMs };
}

/** "2 h 05 min", "3 d 4 h", "45 s": a countdown's magnitude (the sign is shown separately). */
export function formatCountdown(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, "0")} s`;
  return `${sec} s`;
}
