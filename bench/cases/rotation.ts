import { findDuePeerIds, rotateBatch } from "@/lib/services/rotation";
import { ROTATION_BATCH_SIZE } from "@/lib/jobs/rotation";
import type { BenchCase } from "../harness";
import { growth, timeIt } from "../harness";
import { benchServer, bulkPeers } from "../fixtures";

/** rotate_all_due_keys over 10,000 due devices, batch by batch as the job runs it. */
export const rotationCase: BenchCase = {
  name: "rotation",
  async run(ctx) {
    const n = ctx.scale(10_000, 300);
    const rotateAll = async (pool4: string, count: number) => {
      const server = await benchServer(pool4);
      await bulkPeers(server.id, count, { due: true });
      const now = new Date();
      let rotated = 0;
      const ms = await timeIt(async () => {
        const ids = await findDuePeerIds(now); // every due peer of the database, as the job finds them
        for (let i = 0; i < ids.length; i += ROTATION_BATCH_SIZE) rotated += (await rotateBatch(ids.slice(i, i + ROTATION_BATCH_SIZE), now)).rotated;
      });
      return { s: ms / 1000, rotated };
    };
    const small = Math.round(n / 10);
    const s = await rotateAll("10.212.0.0/16", small);
    const l = await rotateAll("10.206.0.0/16", n);
    return [
      {
        case: `rotate ${n} due peers`,
        db: ctx.db,
        value: l.s,
        unit: "s",
        target: "< 30 s",
        met: l.s < 30 && l.rotated === n,
        note: `${Math.round(l.rotated / l.s)} peers/s, batches of ${ROTATION_BATCH_SIZE}${l.rotated === n ? "" : `, only ${l.rotated} rotated`}`,
        growth: growth("s", { n: small, value: s.s }, { n, value: l.s }),
      },
    ];
  },
};
