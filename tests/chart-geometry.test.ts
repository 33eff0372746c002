import { describe, expect, it } from "vitest";
import { labelledRows, maxValue, position, scale, segments } from "@/components/charts/geometry";
import { plotMarkup } from "@/components/charts/plot-markup";
import { rowPerPoint, seriesTableMarkup } from "@/components/charts/series-table";

const series = [
  { key: "down", name: "Download", color: 1 as const, stack: "data" },
  { key: "up", name: "Upload", color: 2 as const, stack: "data" },
];

describe("chart geometry", () => {
  it("stacks series with a stack id and measures the stack", () => {
    const data = [{ down: 3, up: 1 }, { down: 0, up: 5 }];
    expect(maxValue(data, series)).toBe(5);
    expect(segments(data, series)).toEqual([
      [[0, 3], [0, 0]],
      [[3, 4], [0, 5]],
    ]);
  });

  it("starts unstacked series at zero, side by side", () => {
    const data = [{ a: 2, b: 7 }];
    const pair = [{ key: "a", name: "A", color: 1 as const }, { key: "b", name: "B", color: 2 as const }];
    expect(maxValue(data, pair)).toBe(7);
    expect(segments(data, pair)).toEqual([[[0, 2]], [[0, 7]]]);
  });

  it("places bars in the middle of their band and line points from edge to edge", () => {
    expect(position(0, 4, true)).toBe(0.125);
    expect(position(0, 4, false)).toBe(0);
    expect(position(3, 4, false)).toBe(1);
    expect(position(0, 1, false)).toBe(0.5);
  });

  it("labels the first and last rows and evenly between", () => {
    expect(labelledRows(3, 5)).toEqual([0, 1, 2]);
    expect(labelledRows(30, 3)).toEqual([0, 15, 29]);
    expect(labelledRows(168, 2)).toEqual([0, 167]);
  });

  it("scales from a zero baseline, never past the top tick", () => {
    expect(scale(0, 10)).toBe(0);
    expect(scale(5, 10)).toBe(0.5);
    expect(scale(12, 10)).toBe(1);
    expect(scale(3, 0)).toBe(0);
  });
});

describe("a chart's plot as markup", () => {
  const base = { ticks: [0, 5, 10], horizontal: false };

  it("draws each series' bars as one path: a closed rectangle per non-empty row", () => {
    const out = plotMarkup({ ...base, type: "bar", data: [{ down: 3, up: 1 }, { down: 0, up: 5 }, { down: 10, up: 0 }], series });
    const paths = [...out.matchAll(/<g data-series="(\w+)"[^>]*><path d="([^"]+)"><\/path><\/g>/g)].map((m) => [m[1], m[2]!.split("Z").filter(Boolean).length]);
    expect(paths).toEqual([["down", 2], ["up", 2]]);
    // No per-row markup beyond the shapes: the values under the pointer come from the table (chart-hover.tsx).
    expect(out).not.toMatch(/<rect|<title/);
  });

  it("escapes every text from the data: a series key cannot open an element or leave an attribute", () => {
    const out = plotMarkup({ ...base, type: "bar", horizontal: true, data: [{ v: 2 }], series: [{ key: `v"><script>`, name: `</title><script>`, color: 1 }] });
    expect(out).not.toContain("<script");
    expect(out).not.toMatch(/"><script/);
    expect(out).toContain('data-series="v&quot;&gt;&lt;script&gt;"');
  });

  it("joins a line's points in order", () => {
    const data = Array.from({ length: 5 }, (_, i) => ({ v: i }));
    const out = plotMarkup({ ...base, type: "line", data, series: [{ key: "v", name: "V", color: 1 }], ticks: [0, 2, 4] });
    expect(out).toContain('d="M0 1000L250 750L500 500L750 250L1000 0"');
  });
});

describe("a chart's screen-reader table as markup", () => {
  it("has a header row per series and a row per label, every text escaped", () => {
    const out = seriesTableMarkup({ label: "Data by <device>", data: [{ name: `Bob's "<b>phone</b>"`, v: 2048 }], xKey: "name", xKind: "category", series: [{ key: "v", name: "Down & up", color: 1 }], valueKind: "bytes", horizontal: true });
    expect(out).toBe(
      '<table><caption>Data by &lt;device&gt;</caption><thead><tr><th scope="col">Name</th><th scope="col">Down &amp; up</th></tr></thead>' +
        '<tbody><tr><th scope="row">Bob&#39;s &quot;&lt;b&gt;phone&lt;/b&gt;&quot;</th><td>2 kB</td></tr></tbody></table>',
    );
  });

  it("adds the total of stacked series as a column of its own, in the order the chart draws them", () => {
    const out = seriesTableMarkup({ label: "Data", data: [{ day: "2026-12-01", down: 3, up: 1 }], xKey: "day", xKind: "day", series, valueKind: "count" });
    expect(out).toContain('<tr><th scope="col">Day (UTC)</th><th scope="col">Download</th><th scope="col">Upload</th><th scope="col">Total</th></tr>');
    expect(out).toMatch(/<tr><th scope="row">[^<]+<\/th><td>3<\/td><td>1<\/td><td>4<\/td><\/tr>/);
  });

  it("reads a long hourly series out per day, lowest to highest, and then has no row per point for the pointer", () => {
    const data = Array.from({ length: 72 }, (_, h) => ({ at: new Date(Date.UTC(2026, 11, 1, h)).toISOString(), v: h }));
    const out = seriesTableMarkup({ label: "Load", data, xKey: "at", xKind: "hour", series: [{ key: "v", name: "Load", color: 1 }], valueKind: "count" });
    expect(out.match(/<tr>/g)).toHaveLength(4);
    expect(out).toContain("lowest to highest hourly value of each day (UTC)");
    expect(out).toContain("(24 hours)");
    expect(rowPerPoint("hour", 72)).toBe(false);
    expect(rowPerPoint("hour", 48)).toBe(true);
    expect(rowPerPoint("day", 90)).toBe(true);
  });
});
