"use client";

import { useId, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";

/**
 * A secret shown once, right after it was issued: it is stored hashed and
 * cannot be shown again. Only ever rendered from an action's result, never
 * from a page's data.
 */
export function OneTimeSecret({ title, secret, label, testId, children }: { title: string; secret: string; label: string; testId?: string; children?: ReactNode }) {
  const id = useId();
  return (
    <Alert tone="warning" title={title}>
      <p>Copy it now: it is shown only once and cannot be retrieved later.</p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          id={id}
          aria-label={label}
          data-testid={testId}
          className="block min-w-0 flex-1 select-all break-all rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 dark:border-amber-800 dark:bg-slate-950 dark:text-slate-100"
        >
          {secret}
        </code>
        <CopyButton text={secret} selectId={id} ariaLabel={`Copy ${label.toLowerCase()}`} />
      </div>
      {children}
    </Alert>
  );
}
