"use client";

import { useEffect, useRef, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { conditionalFetcher, LIVE_QUERY_OPTIONS } from "@/components/support/live-fetch";

/**
 * Keeps the agents' queue current: polls the queue's version (an empty 304
 * while nothing changed) every 1.5 s while the tab is visible and at once
 * when it comes back, and re-renders the list when it moved. `version` is
 * the one the page was rendered with.
 */
export function LiveQueue({ version }: { version: string }) {
  const router = useRouter();
  const [fetchVersion] = useState(() => conditionalFetcher<{ version: string }>());
  const rendered = useRef(version);
  useEffect(() => {
    rendered.current = version;
  }, [version]);

  const { data, isError } = useQuery({
    queryKey: ["support", "queue-version"],
    queryFn: () => fetchVersion("/api/support/queue/version"),
    ...LIVE_QUERY_OPTIONS,
  });

  useEffect(() => {
    if (data && data.version !== rendered.current) {
      rendered.current = data.version;
      router.refresh();
    }
  }, [data, router]);

  return (
    <p className="mb-3 text-xs text-slate-500 dark:text-slate-400" data-testid="queue-live">
      {isError ? "Live updates paused: the last check failed, retrying." : "The list updates by itself as tickets change."}
    </p>
  );
}
