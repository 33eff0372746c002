import "server-only";
import { isInngestConfigured } from "@/lib/env";
import { jobsForEvent } from "./define";
import { EVENTS, type EventData, type EventName } from "./events";
import { startInBackground } from "./execute";

/**
 * Sends an app event. With Inngest it goes to Inngest (which starts the
 * subscribed functions); otherwise the subscribed jobs start here in the
 * background, whether or not the embedded scheduler runs in this process.
 * Validates the payload either way.
 */
export async function dispatchEvent<N extends EventName>(name: N, data: EventData<N>): Promise<void> {
  const event = EVENTS[name].create(data as never);
  await event.validate();
  if (isInngestConfigured()) {
    const { inngest } = await import("./inngest-client");
    await inngest.send({ name, data: event.data as Record<string, unknown> });
    return;
  }
  for (const job of jobsForEvent(name)) startInBackground(job, { trigger: "event", runner: "embedded" });
}
