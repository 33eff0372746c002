"use client";

import { describePresence } from "@/lib/support/presence";
import { useLiveTicket } from "@/components/support/live-ticket";

/** Staff: who else has this ticket open, and who is typing a reply, so two agents do not answer the same customer. */
export function PresenceBanner() {
  const live = useLiveTicket();
  const people = live?.presence ?? [];
  const text = describePresence(people);
  const replying = people.some((p) => p.replying);
  return (
    <div aria-live="polite" data-testid="presence-banner" data-replying={replying || undefined}>
      {text ? (
        <p
          className={
            replying
              ? "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-200"
              : "rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950/30 dark:text-sky-200"
          }
        >
          {text}
        </p>
      ) : null}
    </div>
  );
}
