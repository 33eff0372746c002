"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the page from the server every `intervalMs` while `active` (a job run is in progress). */
export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? (
    <p role="status" className="text-xs text-slate-600 dark:text-slate-400" data-testid="jobs-live">
      A run is in progress — updating every {Math.round(intervalMs / 1000)} s.
    </p>
  ) : null;
}
