import { describe, expect, it } from "vitest";
import { measuredWindow, summarize, type Profile } from "@/bench/profile/summarize";

/** bench:profile counts only the samples between the pauses around the measured requests. */
describe("the profile's measured window", () => {
  // Nodes: 1 (root), 2 (idle), 3 work in the app, 4 work in the framework.
  const nodes = [
    { id: 1, callFrame: { functionName: "(root)", url: "" }, children: [2, 3, 4] },
    { id: 2, callFrame: { functionName: "(idle)", url: "" } },
    { id: 3, callFrame: { functionName: "render", url: "file:///srv/app/lib/x.js" } },
    { id: 4, callFrame: { functionName: "route", url: "file:///srv/node_modules/next/dist/server.js" } },
  ];
  const run = (id: number, n: number, us: number) => ({ samples: Array<number>(n).fill(id), timeDeltas: Array<number>(n).fill(us) });
  const join = (...parts: ReturnType<typeof run>[]): Profile => ({ nodes, samples: parts.flatMap((p) => p.samples), timeDeltas: parts.flatMap((p) => p.timeDeltas) });

  it("lies between the last two pauses, leaving start-up and warm-up out", () => {
    const profile = join(run(4, 50, 1000), run(2, 1300, 1000), run(3, 30, 1000), run(4, 10, 1000), run(2, 1300, 1000), run(4, 5, 1000));
    const [from, to] = measuredWindow(profile);
    expect([from, to]).toEqual([1350, 1390]);
    const { categories } = summarize(profile, [from, to]);
    // 30 app samples and 10 framework samples of 1 ms each (the first app sample's time is the gap before the next).
    expect(categories.get("the app's own code")).toBe(30_000);
    expect(categories.get("Next.js (routing, proxy, app render)")).toBe(10_000);
  });

  it("refuses a profile without both pauses", () => {
    expect(() => measuredWindow(join(run(4, 50, 1000), run(2, 1300, 1000), run(3, 30, 1000)))).toThrow(/no pause/);
  });
});
