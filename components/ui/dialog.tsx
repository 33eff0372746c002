"use client";

import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";

const DialogContext = createContext<{ close: () => void } | null>(null);

/** Lets content inside a Dialog (a form that succeeded, a Cancel button) close it. */
export function useDialog() {
  const ctx = useContext(DialogContext);
  if (!ctx) throw new Error("useDialog must be used inside <Dialog>");
  return ctx;
}

interface DialogProps {
  title: string;
  description?: ReactNode;
  triggerLabel: ReactNode;
  /** Accessible name of the trigger when its label alone is ambiguous in a list (e.g. "Revoke token laptop"). */
  triggerAriaLabel?: string;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  children: ReactNode;
}

/**
 * A modal on the native <dialog> element: focus is trapped and restored by
 * the browser, Escape closes it, and the page behind is inert.
 */
export function Dialog({ title, description, triggerLabel, triggerAriaLabel, triggerVariant = "secondary", triggerSize = "sm", children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  const close = useCallback(() => setOpen(false), []);

  return (
    <>
      <Button variant={triggerVariant} size={triggerSize} aria-label={triggerAriaLabel} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        onClose={() => setOpen(false)}
        onClick={(e) => {
          // A click on the backdrop lands on the <dialog> element itself.
          if (e.target === e.currentTarget) setOpen(false);
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg text-left whitespace-normal font-normal normal-case tracking-normal border border-slate-200 bg-white p-0 text-slate-900 shadow-xl dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          {description ? (
            <div id={descId} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              {description}
            </div>
          ) : null}
          <DialogContext.Provider value={{ close }}>
            <div className="mt-4">{open ? children : null}</div>
          </DialogContext.Provider>
        </div>
      </dialog>
    </>
  );
}

/** A Cancel button for the footer of a dialog's form. */
export function DialogCancel({ children = "Cancel" }: { children?: ReactNode }) {
  const { close } = useDialog();
  return (
    <Button variant="secondary" onClick={close}>
      {children}
    </Button>
  );
}
