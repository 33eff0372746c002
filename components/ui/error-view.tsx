"use client";

import { useEffect, useState } from "react";
import { Button } from "./button";
import { StatusPage } from "./status-page";

export interface ErrorProps {
  error: Error & { digest?: string };
  /** Re-fetches the segment from the server and re-renders it. */
  retry?: () => void;
  /** Re-renders without re-fetching: only where `retry` is missing. */
  reset: () => void;
}

/** Seconds before the n-th automatic retry: 5, 10, 20, 40, then every 60. */
export const retryDelaySeconds = (attempt: number): number => Math.min(5 * 2 ** attempt, 60);

/**
 * The body of every error.tsx. Never shows error.message: in production Next
 * replaces it anyway, and in development it may hold internals. The digest
 * lets support find the server log line.
 *
 * A page fails to render mostly while the database is unreachable, and the
 * browser only ever sees a digest, so every failed page is treated as
 * possibly temporary: it says so and retries by itself with a growing delay,
 * which brings the page back on its own once the database is back. A page
 * that fails for a real bug keeps failing and keeps its "Try again" button.
 */
/**
 * Failed retries in a row. A retry that fails again mounts a fresh error
 * view, so the count lives here; a failure long after the last one starts
 * a new streak.
 */
const streak = { count: 0, at: 0 };

function nextAttempt(): number {
  const now = Date.now();
  streak.count = now - streak.at > 120_000 ? 0 : streak.count + 1;
  streak.at = now;
  return streak.count;
}

export function ErrorView({ error, retry, reset }: ErrorProps) {
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    console.error("page error", error.digest ?? "");
  }, [error]);
  useEffect(() => {
    let due = Date.now() + retryDelaySeconds(nextAttempt()) * 1000;
    const timer = setInterval(() => {
      if (Date.now() >= due) {
        // If the boundary catches again, this view stays or is remounted: either way the next wait is longer.
        due = Date.now() + retryDelaySeconds(nextAttempt()) * 1000;
        (retry ?? reset)();
      }
      setLeft(Math.max(0, Math.ceil((due - Date.now()) / 1000)));
    }, 1000);
    return () => clearInterval(timer);
  }, [retry, reset]);
  return (
    <StatusPage
      title="Temporarily unavailable"
      action={
        <Button variant="primary" onClick={() => (retry ?? reset)()}>
          Try again now
        </Button>
      }
    >
      <p>This page could not be loaded just now. The service may be briefly unavailable; nothing you saved is lost.</p>
      <p className="mt-2" aria-live="polite">
        {left === null ? "Trying again automatically shortly." : `Trying again automatically in ${left} s.`}
      </p>
      {error.digest ? (
        <p className="mt-2">
          Reference: <code className="font-mono text-xs">{error.digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}
