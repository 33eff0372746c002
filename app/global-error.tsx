"use client";

import "./globals.css";

/** Replaces the root layout when it fails: a whole document, no providers, no error details. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-3 px-4 text-center">
          <h1 className="text-2xl font-semibold">Something went wrong</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">SecureWave could not load. Please try again in a moment.</p>
          {error.digest ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Reference: <code className="font-mono text-xs">{error.digest}</code>
            </p>
          ) : null}
          <button
            type="button"
            onClick={() => reset()}
            className="mt-2 rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800"
          >
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
