"use client";

import { useEffect } from "react";
import { Button } from "./button";
import { StatusPage } from "./status-page";

/**
 * The body of every error.tsx. Never shows error.message: in production Next
 * replaces it anyway, and in development it may hold internals. The digest
 * lets support find the server log line.
 */
export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error("page error", error.digest ?? "");
  }, [error]);
  return (
    <StatusPage
      title="Something went wrong"
      action={
        <Button variant="primary" onClick={() => reset()}>
          Try again
        </Button>
      }
    >
      <p>An unexpected error stopped this page from loading. Please try again in a moment.</p>
      {error.digest ? (
        <p className="mt-2">
          Reference: <code className="font-mono text-xs">{error.digest}</code>
        </p>
      ) : null}
    </StatusPage>
  );
}
