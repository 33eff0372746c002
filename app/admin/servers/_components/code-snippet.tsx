"use client";

import { useId } from "react";
import { CopyButton } from "@/components/ui/copy-button";

/** A block of shell commands with a copy button; scrolls sideways instead of widening the page. */
export function CodeSnippet({ code, label, testId }: { code: string; label: string; testId?: string }) {
  const id = useId();
  return (
    <figure className="space-y-1">
      <figcaption className="flex items-center justify-between gap-2 text-xs font-medium text-slate-700 dark:text-slate-300">
        <span>{label}</span>
        <CopyButton text={code} selectId={id} ariaLabel={`Copy: ${label}`} />
      </figcaption>
      <pre
        id={id}
        tabIndex={0}
        data-testid={testId}
        className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 dark:bg-slate-950 dark:ring-1 dark:ring-slate-800"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}
