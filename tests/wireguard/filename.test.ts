import { describe, expect, it } from "vitest";
import { configFileName, interfaceName } from "@/lib/wireguard/filename";

describe("interfaceName", () => {
  it.each([
    ["laptop", "laptop"],
    ["My Laptop", "My-Laptop"],
    ["Alice's iPhone 15", "Alice-s-iPhone"], // 15 chars, trailing "-" trimmed after the cut
    ["  spaced   out  ", "spaced-out"],
    ["work_pc=1+2.x-y", "work_pc=1+2.x-y"],
    ["Café Crème", "Cafe-Creme"], // accents dropped, letters kept
    ["東京のiPad", "iPad"],
    ["📱 phone 📱", "phone"],
    ["a/b\\c:d", "a-b-c-d"],
    ["---x---", "x"],
    ["..hidden..", "hidden"],
    ["abcdefghijklmnopqrstuvwxyz", "abcdefghijklmno"],
    ["abcdefghijklmn-opq", "abcdefghijklmn"],
    ["", "wg0"],
    ["東京", "wg0"],
    ["   ", "wg0"],
    ["...", "wg0"],
  ])("%j -> %j", (input, expected) => {
    const name = interfaceName(input);
    expect(name).toBe(expected);
    expect(name).toMatch(/^[a-zA-Z0-9_=+.-]{1,15}$/);
  });

  it("always yields a wg-quick-valid name for random input", () => {
    for (let i = 0; i < 500; i++) {
      const len = Math.floor(Math.random() * 40);
      const s = Array.from({ length: len }, () => String.fromCodePoint(Math.floor(Math.random() * 0x3000))).join("");
      expect(interfaceName(s)).toMatch(/^[a-zA-Z0-9_=+.-]{1,15}$/);
    }
  });
});

describe("configFileName", () => {
  it("appends .conf", () => {
    expect(configFileName("My Laptop")).toBe("My-Laptop.conf");
    expect(configFileName("")).toBe("wg0.conf");
  });
});
