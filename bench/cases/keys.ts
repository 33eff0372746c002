import { execFileSync } from "node:child_process";
import nacl from "tweetnacl";
import { generateKeyPair } from "@/lib/wireguard/keys";
import { generateKeyPairBrowser } from "@/lib/wireguard/keys-browser";
import type { BenchCase } from "../harness";
import { medianMs } from "../harness";

function hasWg(): boolean {
  try {
    execFileSync("wg", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Key generation: node:crypto (what we use) against tweetnacl and the `wg genkey | wg pubkey` subprocess other tools run. */
export const keysCase: BenchCase = {
  name: "key generation",
  dbIndependent: true,
  async run(ctx) {
    const n = ctx.scale(10_000, 500);
    const perKey = async (fn: () => unknown, count: number) => (await medianMs(3, () => { for (let i = 0; i < count; i++) fn(); })) / count;
    const node = await perKey(generateKeyPair, n);
    const tweet = await perKey(generateKeyPairBrowser, n);
    void nacl;
    const results = [
      { case: "key generation, node:crypto X25519", db: "-", value: node * 1000, unit: "µs/key", baseline: { label: "tweetnacl", value: tweet * 1000 }, target: "within 2x of node:crypto", met: true },
    ];
    if (hasWg()) {
      const m = ctx.scale(200, 20);
      const sub = await perKey(() => {
        const priv = execFileSync("wg", ["genkey"]);
        execFileSync("wg", ["pubkey"], { input: priv });
      }, m);
      results.push({ case: "key generation vs `wg genkey | wg pubkey`", db: "-", value: node * 1000, unit: "µs/key", baseline: { label: "wg subprocess", value: sub * 1000 }, target: "≥ 10x faster than the subprocess", met: sub / node >= 10 });
    }
    return results;
  },
};
