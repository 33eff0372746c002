import "server-only";
import { Inngest, type Logger } from "inngest";
import { getEnv } from "@/lib/env";
import { describeError, log } from "@/lib/log";

/**
 * The Inngest client. Constructing it never throws, so modules that import it
 * load without Inngest configured; it is only used (send, serve) when
 * isInngestConfigured() says so — otherwise the embedded scheduler runs jobs.
 */
function keys() {
  try {
    const env = getEnv();
    return { eventKey: env.INNGEST_EVENT_KEY, signingKey: env.INNGEST_SIGNING_KEY, isDev: env.INNGEST_DEV ? true : undefined };
  } catch {
    // `next build` imports the Inngest route with whatever env the build has; the SDK then reads its own variables.
    return {};
  }
}

// The SDK's messages go through the app's structured logger, like everything else.
const show = (a: unknown): string => {
  if (typeof a === "string") return a;
  if (a instanceof Error) return String(describeError(a).error);
  try {
    return JSON.stringify(a);
  } catch {
    return String(a);
  }
};
const fmt = (args: unknown[]) => args.map(show).join(" ");
const logger: Logger = {
  info: (...a: unknown[]) => log.info(fmt(a), { source: "inngest" }),
  warn: (...a: unknown[]) => log.warn(fmt(a), { source: "inngest" }),
  error: (...a: unknown[]) => log.error(fmt(a), { source: "inngest" }),
  debug: (...a: unknown[]) => log.debug(fmt(a), { source: "inngest" }),
};

export const inngest = new Inngest({
  id: "securewave",
  ...keys(),
  logger,
});
