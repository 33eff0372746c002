import { describe, expect, it } from "vitest";
import { axisTitle, dayIn, formatAxis, formatDay, formatHour, formatHourUtc, zoneOrUtc } from "@/components/charts/format";
import { hourLabel, seriesTableMarkup } from "@/components/charts/series-table";
import { localDateTime, utcDateTime } from "@/components/ui/date-time";
import { expiryMarkup, revealPage } from "@/app/share/[token]/share-html";
import { renderEmail } from "@/lib/email/render";
import { abuseWarningEmail, formatWarningTime } from "@/lib/email/templates/abuse-warning";

/**
 * One time convention: instants in the reader's zone, naming it, with UTC on
 * hover (title); the daily rollups' dates are UTC days and say so. Every
 * case here uses zones other than UTC, on both sides of it and across a
 * daylight-saving change, so a formatter that ignores its zone fails.
 */

const WINTER = "2026-12-03T14:00:00.000Z";
const SUMMER = "2026-07-03T14:00:00.000Z";
const LATE = "2026-12-03T23:30:00.000Z";

describe("chart time labels", () => {
  it("formats an hour in the reader's zone, UTC by default", () => {
    expect(formatHour(WINTER)).toBe("Dec 3, 14:00");
    expect(formatHour(WINTER, "UTC")).toBe("Dec 3, 14:00");
    expect(formatHour(WINTER, "Europe/Paris")).toBe("Dec 3, 15:00");
    expect(formatHour(SUMMER, "Europe/Paris")).toBe("Jul 3, 16:00"); // summer time
    expect(formatHour(WINTER, "America/New_York")).toBe("Dec 3, 09:00");
    expect(formatHour(WINTER, "Asia/Kolkata")).toBe("Dec 3, 19:30");
    expect(formatHour(LATE, "Asia/Tokyo")).toBe("Dec 4, 08:30"); // the next day there
    expect(formatAxis("hour", WINTER, "America/New_York")).toBe("Dec 3, 09:00");
  });

  it("falls back to UTC for a zone the platform does not know, and says UTC", () => {
    expect(formatHour(WINTER, "Mars/Olympus_Mons")).toBe("Dec 3, 14:00");
    expect(zoneOrUtc("Mars/Olympus_Mons")).toBe("UTC");
    expect(zoneOrUtc(undefined)).toBe("UTC");
    expect(zoneOrUtc("Europe/Paris")).toBe("Europe/Paris");
    expect(axisTitle("hour", "Mars/Olympus_Mons")).toBe("Times in UTC");
  });

  it("keeps daily rollup dates as the UTC days they are, whatever the reader's zone", () => {
    // A day bucket starts at midnight UTC: in New York that instant is still the day before.
    expect(formatDay("2026-12-03")).toBe("Dec 3");
    expect(formatDay("2026-12-03T00:00:00.000Z")).toBe("Dec 3");
    expect(formatAxis("day", "2026-12-03T00:00:00.000Z", "America/New_York")).toBe("Dec 3");
    expect(axisTitle("day", "America/New_York")).toBe("Dates are UTC days");
    expect(axisTitle("hour", "America/New_York")).toBe("Times in America/New_York");
    expect(axisTitle("category", "America/New_York")).toBeNull();
  });

  it("gives the instant in UTC beside the local time, with the date when the UTC day differs", () => {
    expect(formatHourUtc(WINTER)).toBe("Dec 3, 14:00 UTC");
    expect(hourLabel(WINTER, "Europe/Paris")).toBe("Dec 3, 15:00 (14:00 UTC)");
    expect(hourLabel(LATE, "Asia/Tokyo")).toBe("Dec 4, 08:30 (Dec 3, 23:30 UTC)");
    expect(hourLabel(WINTER, "UTC")).toBe("Dec 3, 14:00");
    expect(hourLabel(WINTER)).toBe("Dec 3, 14:00");
  });

  it("finds the reader's calendar day of an instant", () => {
    expect(dayIn(LATE, "UTC")).toBe("2026-12-03");
    expect(dayIn(LATE, "Asia/Tokyo")).toBe("2026-12-04");
    expect(dayIn("2026-12-03T03:00:00Z", "America/Los_Angeles")).toBe("2026-12-02");
  });
});

describe("a chart's table in the reader's zone", () => {
  const series = [{ key: "v", name: "Load", color: 1 as const }];

  it("labels hourly rows in the reader's zone with UTC beside them, and the caption names the zone", () => {
    const data = [WINTER, "2026-12-03T15:00:00.000Z"].map((at, i) => ({ at, v: i + 1 }));
    const out = seriesTableMarkup({ label: "Load", data, xKey: "at", xKind: "hour", series, valueKind: "count", timeZone: "Europe/Paris" });
    expect(out).toContain("<caption>Load. Times in Europe/Paris</caption>");
    expect(out).toContain('<th scope="row">Dec 3, 15:00 (14:00 UTC)</th><td>1</td>');
    expect(out).toContain('<th scope="row">Dec 3, 16:00 (15:00 UTC)</th><td>2</td>');
  });

  it("says the zone is UTC when it is", () => {
    const out = seriesTableMarkup({ label: "Load", data: [{ at: WINTER, v: 1 }], xKey: "at", xKind: "hour", series, valueKind: "count" });
    expect(out).toContain("<caption>Load. Times in UTC</caption>");
    expect(out).toContain('<th scope="row">Dec 3, 14:00</th>');
  });

  it("says daily rows are UTC days, and does not shift them into the reader's zone", () => {
    const out = seriesTableMarkup({ label: "Data", data: [{ day: "2026-12-03", v: 5 }], xKey: "day", xKind: "day", series, valueKind: "count", timeZone: "America/New_York" });
    expect(out).toContain("<caption>Data. Dates are UTC days</caption>");
    expect(out).toContain('<th scope="col">Day (UTC)</th>');
    expect(out).toContain('<th scope="row">Dec 3</th>');
  });

  it("reads a long hourly series out per day of the reader's zone", () => {
    // 72 hours from midnight UTC, Dec 1: in New York (UTC-5) 5 hours of Nov 30, 24 of Dec 1 and Dec 2, 19 of Dec 3.
    const data = Array.from({ length: 72 }, (_, h) => ({ at: new Date(Date.UTC(2026, 11, 1, h)).toISOString(), v: h }));
    const out = seriesTableMarkup({ label: "Load", data, xKey: "at", xKind: "hour", series, valueKind: "count", timeZone: "America/New_York" });
    expect(out).toContain("lowest to highest hourly value of each day (America/New_York)");
    expect(out).toContain("Nov 30 (5 hours)</th><td>0 to 4</td>");
    expect(out).toContain("Dec 1 (24 hours)</th><td>5 to 28</td>");
    expect(out).toContain("Dec 3 (19 hours)</th><td>53 to 71</td>");
  });
});

describe("DateTime's text and title", () => {
  const d = new Date(WINTER);
  it("shows the local time naming its zone, and UTC as the title", () => {
    expect(localDateTime(d, "America/New_York")).toMatch(/^3 Dec 2026, 09:00 (EST|GMT-5)$/);
    expect(localDateTime(d, "Asia/Tokyo")).toMatch(/^3 Dec 2026, 23:00 (JST|GMT\+9)$/);
    expect(utcDateTime(d)).toBe("3 Dec 2026, 14:00 UTC");
  });
  it("falls back to UTC, named, for an unknown zone", () => {
    expect(localDateTime(d, "Nowhere/Atlantis")).toBe("3 Dec 2026, 14:00 UTC");
  });
});

describe("the share page's expiry", () => {
  const now = new Date("2026-12-03T13:50:00.000Z");
  it("is in the reader's zone, naming it, with UTC in the title", () => {
    const out = expiryMarkup(WINTER, "Europe/Paris", now);
    expect(out).toBe('<time datetime="2026-12-03T14:00:00.000Z" title="2026-12-03 14:00 UTC">15:00 (Europe/Paris)</time>');
  });
  it("is in UTC, saying so, when the zone is unknown", () => {
    expect(expiryMarkup(WINTER, "UTC", now)).toContain(">14:00 UTC</time>");
    expect(expiryMarkup(WINTER, "Bad/Zone", now)).toContain(">14:00 UTC</time>");
  });
  it("adds the date when the expiry falls on another day there", () => {
    // 23:50 on Dec 3 there (UTC+14) now; the link ends 20 minutes later, on Dec 4.
    const late = new Date("2026-12-03T09:50:00.000Z");
    expect(expiryMarkup("2026-12-03T10:10:00.000Z", "Pacific/Kiritimati", late)).toContain(">4 Dec 2026, 00:10 (Pacific/Kiritimati)</time>");
    expect(expiryMarkup("2026-12-03T10:10:00.000Z", "UTC", late)).toContain(">10:10 UTC</time>");
  });
  it("is what the page shows", () => {
    const page = revealPage({ deviceName: "Phone", expiresAt: WINTER, now, timeZone: "America/New_York" });
    expect(page).toContain("It expires at <time");
    expect(page).toContain("09:00 (America/New_York)");
    expect(page).toContain("(in about 10 minutes)");
  });
});

describe("the abuse warning email", () => {
  it("gives times in the account's zone, naming it, as the expiry email does", () => {
    // The punctuation of a full date varies between ICU versions; the day, the time and the zone do not.
    expect(formatWarningTime(new Date(WINTER), "America/New_York")).toMatch(/^Thursday,? 3 December 2026(,| at) 09:00 \(America\/New_York\)$/);
    expect(formatWarningTime(new Date(WINTER), "Bad/Zone")).toMatch(/^Thursday,? 3 December 2026(,| at) 14:00 \(UTC\)$/);
  });

  it("renders the detection and the throttle's end in that zone", async () => {
    const mail = await renderEmail(
      abuseWarningEmail({
        incidentType: "bandwidth_spike",
        description: "An unusual amount of traffic.",
        detectedAt: new Date(WINTER),
        note: null,
        throttle: { rateKbit: 1000, until: new Date(LATE) },
        timeZone: "Asia/Tokyo",
      }),
    );
    expect(mail.text).toMatch(/Thursday,? 3 December 2026(,| at) 23:00 \(Asia\/Tokyo\)/);
    expect(mail.text).toMatch(/Friday,? 4 December 2026(,| at) 08:30 \(Asia\/Tokyo\)/);
    expect(mail.text).not.toContain("(UTC)");
  });
});
