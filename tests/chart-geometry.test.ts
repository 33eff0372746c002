import { describe, expect, it } from "vitest";
import { labelledRows, maxValue, position, scale, segments } from "@/components/charts/geometry";

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
