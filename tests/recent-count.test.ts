import { afterEach, describe, expect, it, vi } from "vitest";
import { recentCount } from "@/lib/dal/recent";

/** lib/dal/recent.ts: a count over many rows that pages may show up to a TTL old (peers per server, subscriptions per plan). */
describe("recentCount", () => {
  afterEach(() => vi.useRealTimers());

  it("counts once per TTL, serves the last count while a newer one is made, and keeps it when a recount fails", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    let n = 0;
    let fail = false;
    const count = vi.fn(async () => {
      if (fail) throw new Error("database away");
      return ++n;
    });
    const recent = recentCount(count, 30_000);

    expect(await recent.get()).toBe(1); // the first caller waits for the first count
    expect(await recent.get()).toBe(1);
    expect(count).toHaveBeenCalledTimes(1);

    vi.setSystemTime(Date.now() + 30_001);
    expect(await recent.get()).toBe(1); // stale: answered at once, a recount started
    await vi.waitFor(() => expect(count).toHaveBeenCalledTimes(2));
    expect(await recent.get()).toBe(2);

    vi.setSystemTime(Date.now() + 30_001);
    fail = true;
    expect(await recent.get()).toBe(2);
    await vi.waitFor(() => expect(count).toHaveBeenCalledTimes(3));
    expect(await recent.get()).toBe(2); // the failed recount left the old count to serve
    fail = false;
    await vi.waitFor(async () => expect(await recent.get()).toBe(3));

    recent.clear();
    expect(await recent.get()).toBe(4); // nothing to serve: waits for a fresh count
  });

  it("makes one count at a time however many callers ask", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const count = vi.fn(async () => {
      await gate;
      return "counted";
    });
    const recent = recentCount(count, 30_000);
    const answers = Promise.all(Array.from({ length: 10 }, () => recent.get()));
    release();
    expect(await answers).toEqual(Array(10).fill("counted"));
    expect(count).toHaveBeenCalledTimes(1);
  });
});
