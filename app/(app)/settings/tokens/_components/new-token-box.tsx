"use client";

import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { controlClasses } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

/** The plain token, shown once right after creation: it is stored hashed and cannot be shown again. */
export function NewTokenBox({ token, name }: { token: string; name: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
    } catch {
      // Clipboard refused (insecure context, permissions): select the text so the user can copy it by hand.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  }
  return (
    <Alert tone="warning" title={`Token “${name}” created`}>
      <p>Copy it now. For your security it is shown only once and cannot be retrieved later.</p>
      <div className="mt-3 flex flex-col gap-2 sm:flex-row">
        <label htmlFor={id} className="sr-only">
          New API token
        </label>
        <input
          id={id}
          readOnly
          value={token}
          data-testid="new-token"
          onFocus={(e) => e.currentTarget.select()}
          className={cn(controlClasses, "font-mono text-xs sm:text-xs")}
        />
        <Button variant="secondary" onClick={copy} className="shrink-0">
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p className="sr-only" aria-live="polite">
        {copied ? "Token copied to the clipboard" : ""}
      </p>
    </Alert>
  );
}
