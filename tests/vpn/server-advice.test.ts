import { describe, expect, it } from "vitest";
import {
  advisedOrder,
  defaultServer,
  isAdvised,
  noneAdvised,
  OFFLINE_REASON,
  serverLabel,
  type ServerChoice,
} from "@/app/(app)/devices/_components/server-advice";

const server = (id: string, status: ServerChoice["status"], load: number, name = id, region = "eu-west"): ServerChoice => ({ id, name, region, status, load });
const ids = (list: ServerChoice[]) => list.map((s) => s.id);

describe("add-device server advice", () => {
  it("puts healthy servers first, least loaded first, then degraded, offline last", () => {
    const list = [
      server("off-empty", "offline", 0),
      server("busy", "healthy", 80),
      server("slow", "degraded", 5),
      server("quiet", "healthy", 10),
      server("off-busy", "offline", 90),
      server("slow-busy", "degraded", 60),
    ];
    expect(ids(advisedOrder(list))).toEqual(["quiet", "busy", "slow", "slow-busy", "off-empty", "off-busy"]);
    // The case: an offline server at 0 % load is never preselected over a healthy one.
    expect(defaultServer(list)?.id).toBe("quiet");
  });

  it("prefers a degraded server to an offline one even when the offline one is emptier", () => {
    expect(defaultServer([server("a", "offline", 0), server("b", "degraded", 99)])?.id).toBe("b");
  });

  it("breaks equal load by name, and keeps the given order when everything is equal (stable)", () => {
    const byName = [server("2", "healthy", 10, "Zurich 1"), server("1", "healthy", 10, "Amsterdam 1")];
    expect(ids(advisedOrder(byName))).toEqual(["1", "2"]);
    expect(ids(advisedOrder([...byName].reverse()))).toEqual(["1", "2"]);

    const twins = [server("x", "healthy", 10, "Same"), server("y", "healthy", 10, "Same"), server("z", "healthy", 10, "Same")];
    expect(ids(advisedOrder(twins))).toEqual(["x", "y", "z"]);
    expect(ids(advisedOrder([...twins].reverse()))).toEqual(["z", "y", "x"]);
  });

  it("does not reorder its argument", () => {
    const list = [server("b", "offline", 0), server("a", "healthy", 0)];
    advisedOrder(list);
    expect(ids(list)).toEqual(["b", "a"]);
  });

  it("labels each choice with its state; offline ones say why they are not advised", () => {
    expect(serverLabel(server("p", "healthy", 12.4, "Paris 1", "eu-west"))).toBe("Paris 1 — eu-west (healthy, 12% load)");
    expect(serverLabel(server("s", "degraded", 40.6, "Sydney 1", "ap-southeast"))).toBe("Sydney 1 — ap-southeast (slow to report, 41% load)");
    const offline = serverLabel(server("o", "offline", 0, "Synth 2", "ap-southeast"));
    expect(offline).toBe(`Synth 2 — ap-southeast (offline: ${OFFLINE_REASON})`);
    expect(offline).toContain("not advised");
    // No load figure for a server that cannot take a device: "0% load" read as an invitation.
    expect(offline).not.toMatch(/% load/);
  });

  it("with every server offline, still preselects one (least loaded) and says none is advised", () => {
    const list = [server("far", "offline", 30, "Far"), server("near", "offline", 5, "Near")];
    const chosen = defaultServer(list)!;
    expect(chosen.id).toBe("near");
    expect(isAdvised(chosen)).toBe(false);
    expect(serverLabel(chosen)).toContain(OFFLINE_REASON);
    expect(noneAdvised(list)).toBe(true);
  });

  it("noneAdvised is false with any server online, and with no servers at all", () => {
    expect(noneAdvised([server("a", "offline", 0), server("b", "degraded", 0)])).toBe(false);
    expect(noneAdvised([])).toBe(false);
    expect(defaultServer([])).toBeNull();
  });
});
