import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { countdownText, SlaCountdown, type SlaFields } from "@/app/agent/tickets/_components/sla-countdown";
import { DEFAULT_SLA_TARGETS, slaView } from "@/lib/support/sla";

const H = 3_600_000;
const created = Date.parse("2026-12-01T08:00:00Z");
const iso = (hours: number) => new Date(created + hours * H).toISOString();

/** Medium priority: first response due after 24 h, resolution after 72 h. */
const ticket = (over: Partial<SlaFields> = {}): SlaFields => ({
  status: "in_progress",
  priority: "medium",
  slaBreached: false,
  slaResponseBreached: false,
  slaResponseDueAt: iso(24),
  slaDueAt: iso(72),
  slaPausedAt: null,
  firstResponseAt: iso(1),
  ...over,
});

const label = (t: SlaFields, atHours: number) => countdownText(t, slaView(t, new Date(created + atHours * H), DEFAULT_SLA_TARGETS));
const render = (t: SlaFields, atHours: number) => renderToStaticMarkup(createElement(SlaCountdown, { ticket: t, targets: DEFAULT_SLA_TARGETS, renderedAt: created + atHours * H }));

describe("the SLA countdown of a paused clock", () => {
  it("reads as paused, never as breached with time to go, when the response was late and the ticket now waits on the customer", () => {
    // First response 45 min late, then the agent asked a question: the resolution clock stopped 71 h 15 min in.
    const t = ticket({ slaResponseBreached: true, firstResponseAt: iso(24.75), status: "waiting_user", slaPausedAt: iso(71.25) });
    const text = label(t, 80);
    expect(text).toBe("Paused — waiting on customer · SLA breached");
    expect(text).not.toMatch(/^Breached/);
    expect(text).not.toMatch(/to resolution/);
    const html = render(t, 80);
    expect(html).toContain('data-sla-state="paused"');
    expect(html).toContain('data-sla-breached="true"');
    expect(html).toContain("Paused — waiting on customer");
  });

  it("shows the frozen time left while nothing was breached, and stays the same as time passes", () => {
    const t = ticket({ status: "waiting_user", slaPausedAt: iso(10) });
    expect(label(t, 11)).toBe("Paused — waiting on customer · 2 d 14 h left");
    expect(label(t, 500)).toBe(label(t, 11));
    expect(render(t, 11)).toContain('data-sla-state="paused"');
  });

  it("keeps counting a first response still owed (that clock never pauses)", () => {
    const t = ticket({ status: "waiting_user", slaPausedAt: iso(2), firstResponseAt: null });
    expect(label(t, 3)).toBe("Paused — waiting on customer · first response due in 21 h 00 min");
    expect(label(t, 25)).toBe("Paused — waiting on customer · first response 1 h 00 min overdue");
  });

  it("leaves running, resolved and breached-and-running clocks as they were", () => {
    expect(label(ticket(), 2)).toBe("2 d 22 h to resolution");
    expect(label(ticket({ status: "resolved", slaPausedAt: iso(5) }), 6)).toBe("Clock stopped");
    expect(label(ticket({ slaResponseBreached: true, firstResponseAt: iso(25) }), 30)).toBe("Breached · 1 d 18 h to resolution");
    expect(render(ticket(), 2)).toContain('data-sla-state="on_track"');
  });
});
