import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { triggerJob } from "@/lib/jobs/trigger";

export const POST = withApi({ auth: "admin" }, async ({ actor, params }) =>
  NextResponse.json(await triggerJob(params.name!, actor), { status: 202 }),
);
