import { withApi } from "@/lib/api/handler";
import { getRun } from "@/lib/jobs/runs";
import { notFound } from "@/lib/errors";

export const GET = withApi({ auth: "admin" }, async ({ params }) => {
  const run = await getRun(params.runId!);
  if (!run) throw notFound("Run");
  return run;
});
