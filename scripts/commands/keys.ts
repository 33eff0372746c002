import { resealAll } from "@/lib/services/reseal";
import { getEnv } from "@/lib/env";
import type { Command } from "./types";

export const keysReseal: Command = {
  name: "keys:reseal",
  summary: "Re-seal every private and preshared key under the current ENCRYPTION_KEY_ID (old ids stay readable via ENCRYPTION_KEYS_OLD until it finishes)",
  usage: "keys:reseal",
  options: {},
  async run() {
    const id = getEnv().ENCRYPTION_KEY_ID;
    const n = await resealAll((column, done) => console.error(`${column}: ${done} re-sealed`));
    console.log(`re-sealed ${n} secret(s) under key id ${id}`);
  },
};
