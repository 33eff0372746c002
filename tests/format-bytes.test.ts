import { describe, expect, it } from "vitest";
import { formatBytes } from "@/lib/format/bytes";
import { formatBytes as deviceBytes } from "@/components/devices/format";
import { formatBytes as chartBytes } from "@/components/charts/format";
import { formatBytes as abuseBytes } from "@/lib/abuse/format";

describe("one way to write a data volume", () => {
  it("decimal units, one decimal at most, as plans are sold", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(950)).toBe("950 B");
    expect(formatBytes(1_234)).toBe("1.2 kB");
    expect(formatBytes(4.6e9)).toBe("4.6 GB");
    expect(formatBytes(2.06 * 1024 ** 3)).toBe("2.2 GB");
    expect(formatBytes(999_960_000)).toBe("1 GB");
    expect(formatBytes(-2e6)).toBe("-2 MB");
    expect(formatBytes(Number.NaN)).toBe("—");
  });

  it("is the same function on device cards, charts and incidents", () => {
    expect(deviceBytes).toBe(formatBytes);
    expect(chartBytes).toBe(formatBytes);
    expect(abuseBytes).toBe(formatBytes);
  });
});
