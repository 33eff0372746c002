import { NextResponse } from "next/server";
import { z } from "zod";
import { withApi } from "@/lib/api/handler";
import { ingestDump } from "@/lib/services/telemetry";
import { confirmAppliedConfig } from "@/lib/services/server-config";

/** 10,000 peers make a ~2 MB dump; anything past 8 MB is refused before it is read whole. */
const MAX_DUMP_BYTES = 8 * 1024 * 1024;

export const POST = withApi(
  { auth: "agent", body: z.string(), bodyType: "text", maxBodyBytes: MAX_DUMP_BYTES },
  async ({ actor, body, req }) => {
    const result = await ingestDump(actor.serverId, body);
    await confirmAppliedConfig(actor.serverId, req.headers.get("x-applied-config"));
    return NextResponse.json({ peers: result.peers, unknown: result.unknown, replay: result.replay }, { status: 202 });
  },
);
