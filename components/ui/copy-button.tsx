"use client";

import { useState } from "react";
import { Button, type ButtonVariant } from "@/components/ui/button";

/**
 * Copies `text`; when the clipboard is refused (plain http, permissions) it
 * selects the element `selectId` so the text can be copied by hand.
 */
export function CopyButton({ text, selectId, label = "Copy", ariaLabel, variant = "secondary" }: { text: string; selectId?: string; label?: string; ariaLabel?: string; variant?: ButtonVariant }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      const el = selectId ? document.getElementById(selectId) : null;
      if (el) window.getSelection()?.selectAllChildren(el);
    }
  }
  return (
    <>
      <Button variant={variant} size="sm" onClick={copy} aria-label={ariaLabel} className="shrink-0">
        {copied ? "Copied" : label}
      </Button>
      <span className="sr-only" aria-live="polite">
        {copied ? "Copied to the clipboard" : ""}
      </span>
    </>
  );
}
