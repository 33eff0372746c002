"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /** Wider for the QR code and the add-device form. */
  size?: "md" | "lg";
  /** After an action that removes or moves the trigger (revoke, delete): send focus to the page's main region. */
  focusMainOnClose?: boolean;
  children: ReactNode;
}

/**
 * A controlled modal on the native <dialog>: the browser traps focus, Escape
 * closes it and the page behind is inert. Unlike components/ui/dialog it has
 * no built-in trigger, so a device's buttons can be styled per breakpoint and
 * a dialog can move on to a second step (the new configuration) after its
 * action. On open, focus goes to the element marked `data-autofocus` (else
 * the first focusable one); on close it returns to where it was, or to the
 * page's main region when that element is gone (a deleted device).
 */
export function Modal({ open, onClose, title, description, size = "md", focusMainOnClose = false, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
      el.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    if (!open && el.open) el.close();
  }, [open]);

  // Unmounted while open (its device row moved to the revoked list or was
  // deleted): the browser drops focus to <body>; put it on the page instead.
  const isOpen = useRef(open);
  useEffect(() => {
    isOpen.current = open;
  }, [open]);
  useEffect(
    () => () => {
      if (!isOpen.current) return;
      setTimeout(() => {
        if (!document.activeElement || document.activeElement === document.body) document.getElementById("main")?.focus();
      }, 0);
    },
    [],
  );

  function restoreFocus() {
    const target = returnTo.current;
    returnTo.current = null;
    if (target?.isConnected && !focusMainOnClose) target.focus();
    else document.getElementById("main")?.focus();
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      onClose={() => {
        onClose();
        restoreFocus();
      }}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (e.target === e.currentTarget) onClose();
      }}
      className={cn(
        "m-auto max-h-[calc(100dvh-2rem)] w-[calc(100%-1rem)] overflow-y-auto rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl sm:w-[calc(100%-2rem)] dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100",
        size === "lg" ? "max-w-xl" : "max-w-lg",
      )}
    >
      <div className="p-4 sm:p-5">
        <div className="flex items-start justify-between gap-3">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="-m-1 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-slate-100"
          >
            <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5" fill="none" stroke="currentColor" strokeWidth={1.75} strokeLinecap="round">
              <path d="M5 5l10 10M15 5 5 15" />
            </svg>
          </button>
        </div>
        {description ? (
          <div id={descId} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            {description}
          </div>
        ) : null}
        <div className="mt-4">{open ? children : null}</div>
      </div>
    </dialog>
  );
}
