import { serve } from "inngest/next";
import { functions } from "@/inngest/functions";
import { isInngestConfigured } from "@/lib/env";
import { inngest } from "@/lib/jobs/inngest-client";

/** Inngest calls this endpoint to sync and run the job functions. */
const handler = serve({ client: inngest, functions });

type Handler = typeof handler.GET;
// Unconfigured, the SDK answers 500 and logs an error on every probe; the embedded scheduler runs the jobs then.
const whenConfigured =
  (h: Handler): Handler =>
  async (...args) =>
    isInngestConfigured()
      ? h(...args)
      : Response.json(
          { error: { code: "not_found", message: "Inngest is not configured; jobs run in the embedded scheduler" } },
          { status: 404 },
        );

export const GET = whenConfigured(handler.GET);
export const POST = whenConfigured(handler.POST);
export const PUT = whenConfigured(handler.PUT);
