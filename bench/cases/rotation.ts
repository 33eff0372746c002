import { findDuePeerIds, rotateBatch } from "@/lib/services/rotation";
import { ROTATION_BATCH_SIZE } from "@/lib/jobs/rotation";
import type { BenchCase } from "../harness";
import { timeIt } from "../harness";
import { benchServer, bulkPeers } from "../fixtures";

/** rotate_all_due_keys over 10,000 due devices, batch by batch as the job runs it. */
export const rotationCase: BenchCase = {
  name: "rotation",
  async run(ctx) {
    const n = ctx.scale(10_000, 300);
    const server = await benchServer("10.206.0.0/16");
    await bulkPeers(server.id, n, { due: true });
    const now = new Date();
    let rotated = 0;
    const ms = await timeIt(async () => {
      const ids = await findDuePeerIds(now);
      for (let i = 0; i < ids.length; i += ROTATION_BATCH_SIZE) rotated += (await rotateBatch(ids.slice(i, i + ROTATION_BATCH_SIZE), now)).rotated;
    });
    return [{ case: `rotate ${n} due peers`, db: ctx.db, value: ms / 1000, unit: "s", target: "< 30 s", met: ms < 30_000, note: `${Math.round(rotated / (ms / 1000))} peers/s` }];
  },
};
