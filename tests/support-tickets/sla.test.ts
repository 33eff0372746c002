import { describe, expect, it } from "vitest";
import {
  DEFAULT_SLA_TARGETS,
  applyStatusChange,
  dueSoonWindowMs,
  dueTimesFor,
  formatCountdown,
  slaView,
  targetsFromHours,
  type ClockFields,
  type SlaInput,
} from "@/lib/support/sla";
import { canBeRated, formatTicketNumber, statusAfterMessage, ticketMonth } from "@/lib/support/workflow";

const H = 3_600_000;
const T0 = new Date("2024-03-10T08:00:00.000Z");
const at = (hours: number) => new Date(T0.getTime() + hours * H);

describe("SLA targets and due times", () => {
  it("has the product defaults: low 48h/7d, medium 24h/3d, high 4h/1d, urgent 1h/4h", () => {
    expect(DEFAULT_SLA_TARGETS).toEqual({
      low: { responseMs: 48 * H, resolutionMs: 168 * H },
      medium: { responseMs: 24 * H, resolutionMs: 72 * H },
      high: { responseMs: 4 * H, resolutionMs: 24 * H },
      urgent: { responseMs: 1 * H, resolutionMs: 4 * H },
    });
  });

  it("computes both deadlines from creation, plus paused seconds for the resolution only", () => {
    expect(dueTimesFor(T0, "high", 0, DEFAULT_SLA_TARGETS)).toEqual({ slaResponseDueAt: at(4), slaDueAt: at(24) });
    expect(dueTimesFor(T0, "high", 1800, DEFAULT_SLA_TARGETS)).toEqual({ slaResponseDueAt: at(4), slaDueAt: at(24.5) });
  });

  it("takes configured hours, fractional ones too", () => {
    const t = targetsFromHours({ low: { response: 0.5, resolution: 2 }, medium: { response: 1, resolution: 3 }, high: { response: 2, resolution: 4 }, urgent: { response: 0.25, resolution: 1 } });
    expect(dueTimesFor(T0, "low", 0, t)).toEqual({ slaResponseDueAt: at(0.5), slaDueAt: at(2) });
    expect(dueTimesFor(T0, "urgent", 0, t).slaResponseDueAt).toEqual(at(0.25));
  });
});

describe("pausing and resuming the resolution clock", () => {
  const start: ClockFields = { slaDueAt: at(72), slaPausedAt: null, slaPausedSeconds: 0 };

  it("pauses on waiting_user and pushes the deadline by the paused time on the user's reply", () => {
    const paused = applyStatusChange(start, "in_progress", "waiting_user", at(2));
    expect(paused).toEqual({ slaDueAt: at(72), slaPausedAt: at(2), slaPausedSeconds: 0 });
    const resumed = applyStatusChange(paused, "waiting_user", "waiting_support", at(5));
    expect(resumed).toEqual({ slaDueAt: at(75), slaPausedAt: null, slaPausedSeconds: 3 * 3600 });
  });

  it("accumulates several pauses", () => {
    let c = applyStatusChange(start, "open", "waiting_user", at(1));
    c = applyStatusChange(c, "waiting_user", "waiting_support", at(2));
    c = applyStatusChange(c, "waiting_support", "waiting_user", at(10));
    c = applyStatusChange(c, "waiting_user", "in_progress", at(10.5));
    expect(c).toEqual({ slaDueAt: at(73.5), slaPausedAt: null, slaPausedSeconds: 1.5 * 3600 });
  });

  it("counts whole seconds only, so due = created + target + paused seconds holds exactly", () => {
    const paused = applyStatusChange(start, "open", "waiting_user", at(1));
    const resumed = applyStatusChange(paused, "waiting_user", "open", new Date(at(1).getTime() + 2_999));
    expect(resumed.slaPausedSeconds).toBe(2);
    expect(resumed.slaDueAt.getTime() - at(72).getTime()).toBe(2000);
  });

  it("does not move anything between running statuses, nor between stopped ones", () => {
    expect(applyStatusChange(start, "open", "in_progress", at(3))).toEqual(start);
    const paused = applyStatusChange(start, "open", "waiting_user", at(1));
    expect(applyStatusChange(paused, "waiting_user", "resolved", at(4))).toEqual(paused);
  });

  it("reopening a resolved ticket resumes the clock, not counting the time it was resolved", () => {
    const resolved = applyStatusChange(start, "in_progress", "resolved", at(10));
    expect(resolved.slaPausedAt).toEqual(at(10));
    const reopened = applyStatusChange(resolved, "resolved", "waiting_support", at(30));
    expect(reopened).toEqual({ slaDueAt: at(92), slaPausedAt: null, slaPausedSeconds: 20 * 3600 });
  });

  it("a priority change recomputes from creation and keeps the paused time", () => {
    let c = applyStatusChange(start, "open", "waiting_user", at(1));
    c = applyStatusChange(c, "waiting_user", "waiting_support", at(3));
    expect(dueTimesFor(T0, "urgent", c.slaPausedSeconds, DEFAULT_SLA_TARGETS)).toEqual({ slaResponseDueAt: at(1), slaDueAt: at(6) });
    expect(dueTimesFor(T0, "low", c.slaPausedSeconds, DEFAULT_SLA_TARGETS)).toEqual({ slaResponseDueAt: at(48), slaDueAt: at(170) });
  });
});

describe("read-time SLA state", () => {
  const base = (over: Partial<SlaInput> = {}): SlaInput => ({
    status: "open",
    priority: "medium",
    slaResponseDueAt: at(24),
    slaDueAt: at(72),
    slaPausedAt: null,
    firstResponseAt: null,
    slaBreached: false,
    slaResponseBreached: false,
    ...over,
  });

  it("counts down to the first response, then to the resolution", () => {
    const v = slaView(base(), at(1), DEFAULT_SLA_TARGETS);
    expect(v).toMatchObject({ state: "on_track", clock: "response", dueAt: at(24), remainingMs: 23 * H });
    const answered = slaView(base({ firstResponseAt: at(2), status: "in_progress" }), at(3), DEFAULT_SLA_TARGETS);
    expect(answered).toMatchObject({ state: "on_track", clock: "resolution", dueAt: at(72), remainingMs: 69 * H });
  });

  it("is due soon within 20% of the target or within an hour, whichever is larger", () => {
    expect(dueSoonWindowMs(24 * H)).toBe(4.8 * H);
    expect(dueSoonWindowMs(1 * H)).toBe(1 * H);
    expect(slaView(base(), at(19), DEFAULT_SLA_TARGETS).state).toBe("on_track");
    expect(slaView(base(), at(19.3), DEFAULT_SLA_TARGETS).state).toBe("due_soon");
    const urgent = base({ priority: "urgent", slaResponseDueAt: at(1), slaDueAt: at(4), firstResponseAt: at(0.1), status: "in_progress" });
    expect(slaView(urgent, at(2.9), DEFAULT_SLA_TARGETS).state).toBe("on_track");
    expect(slaView(urgent, at(3.1), DEFAULT_SLA_TARGETS).state).toBe("due_soon");
  });

  it("is breached once a deadline passes, before the monitor flags it, and by the flags", () => {
    expect(slaView(base(), at(24), DEFAULT_SLA_TARGETS)).toMatchObject({ state: "breached", responseBreached: true, resolutionBreached: false });
    const late = base({ firstResponseAt: at(30), status: "in_progress" });
    expect(slaView(late, at(31), DEFAULT_SLA_TARGETS)).toMatchObject({ state: "breached", responseBreached: true });
    expect(slaView(base({ firstResponseAt: at(1), status: "in_progress" }), at(73), DEFAULT_SLA_TARGETS)).toMatchObject({ state: "breached", resolutionBreached: true, remainingMs: -1 * H });
    expect(slaView(base({ status: "closed", slaBreached: true }), at(1), DEFAULT_SLA_TARGETS).state).toBe("breached");
  });

  it("is paused (frozen countdown) while waiting on the user, and not breached then", () => {
    const waiting = base({ status: "waiting_user", firstResponseAt: at(1), slaPausedAt: at(2) });
    expect(slaView(waiting, at(100), DEFAULT_SLA_TARGETS)).toMatchObject({ state: "paused", remainingMs: 70 * H, resolutionBreached: false });
  });

  it("a clock that stopped after its deadline had already breached", () => {
    const stoppedLate = base({ status: "waiting_user", firstResponseAt: at(1), slaPausedAt: at(80) });
    expect(slaView(stoppedLate, at(81), DEFAULT_SLA_TARGETS)).toMatchObject({ state: "breached", resolutionBreached: true });
  });

  it("a resolved or closed ticket has a stopped clock", () => {
    expect(slaView(base({ status: "resolved", firstResponseAt: at(1), slaPausedAt: at(5) }), at(500), DEFAULT_SLA_TARGETS).state).toBe("stopped");
  });

  it("formats countdowns", () => {
    expect(formatCountdown(45_000)).toBe("45 s");
    expect(formatCountdown(-(4 * 60_000 + 5_000))).toBe("4 min 05 s");
    expect(formatCountdown(2 * H + 5 * 60_000)).toBe("2 h 05 min");
    expect(formatCountdown(50 * H)).toBe("2 d 2 h");
  });
});

describe("ticket workflow", () => {
  it("numbers tickets TKT-YYYYMM-NNNNN per UTC month", () => {
    expect(ticketMonth(new Date("2024-01-31T23:59:59Z"))).toBe("202401");
    expect(ticketMonth(new Date("2024-02-01T00:00:00Z"))).toBe("202402");
    expect(formatTicketNumber("202401", 1)).toBe("TKT-202401-00001");
    expect(formatTicketNumber("202412", 12345)).toBe("TKT-202412-12345");
    expect(formatTicketNumber("202412", 123456)).toBe("TKT-202412-123456");
    expect(() => formatTicketNumber("2024", 1)).toThrow();
  });

  it("moves the status on replies: user → waiting_support (reopens resolved), staff → waiting_user, notes → unchanged, closed → refused", () => {
    expect(statusAfterMessage("open", "requester", false)).toBe("waiting_support");
    expect(statusAfterMessage("waiting_user", "requester", false)).toBe("waiting_support");
    expect(statusAfterMessage("resolved", "requester", false)).toBe("waiting_support");
    expect(statusAfterMessage("open", "staff", false)).toBe("waiting_user");
    expect(statusAfterMessage("in_progress", "staff", true)).toBe("in_progress");
    expect(statusAfterMessage("closed", "requester", false)).toBeNull();
    expect(statusAfterMessage("closed", "staff", true)).toBeNull();
  });

  it("rates only finished tickets", () => {
    expect(canBeRated("resolved")).toBe(true);
    expect(canBeRated("closed")).toBe(true);
    expect(canBeRated("waiting_user")).toBe(false);
  });
});
