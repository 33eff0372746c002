"use client";

import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { cn } from "./cn";
import { useHydrated } from "./use-hydrated";

const DialogContext = createContext<{ close: () => void } | null>(null);

/** Lets content inside a dialog (a form that succeeded, a Cancel button) close it. */
export function useDialog() {
  const ctx = useContext(DialogContext);
  if (!ctx) throw new Error("useDialog must be used inside <Modal> or <Dialog>");
  return ctx;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  /** Wider for a QR code or a long form. */
  size?: "md" | "lg";
  /** After an action that removes or moves the trigger (revoke, delete): send focus to the page's main region. */
  focusMainOnClose?: boolean;
  children: ReactNode;
}

/**
 * The app's one modal, on the native <dialog>: the browser traps focus,
 * Escape closes it and the page behind is inert. Controlled by its owner, so
 * a trigger can be styled freely and a dialog can move on to a second step
 * after its action. It exists in the page only while open: a list of a
 * hundred devices does not carry six hundred closed dialogs. On open, focus
 * goes to the content's element marked `data-autofocus` (the safe choice of
 * a confirmation), else to its first focusable one, and only then to Close;
 * on close it returns to where it was, or to the page's main region when
 * that element is gone. It fits a 390 px screen and scrolls inside itself
 * when taller than the viewport.
 */
export function Modal(props: ModalProps) {
  return props.open ? <OpenModal {...props} /> : null;
}

function OpenModal({ onClose, title, description, size = "md", focusMainOnClose = false, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();
  // Kept in a ref: the cleanup below runs once, with the latest value.
  const focusMain = useRef(focusMainOnClose);
  useEffect(() => {
    focusMain.current = focusMainOnClose;
  }, [focusMainOnClose]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!el.open) el.showModal();
    const body = bodyRef.current;
    (body?.querySelector<HTMLElement>("[data-autofocus]") ?? body?.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    return () => {
      // Closed (or its row moved to another list or was deleted): back to the
      // trigger, or to the page's main region when the trigger is gone.
      setTimeout(() => {
        if (returnTo?.isConnected && !focusMain.current) returnTo.focus();
        else document.getElementById("main")?.focus();
      }, 0);
    };
  }, []);

  const context = useMemo(() => ({ close: onClose }), [onClose]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      // Escape (or a form with method="dialog") closes the native dialog: tell the owner.
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop lands on the <dialog> element itself.
        if (e.target === e.currentTarget) onClose();
      }}
      // Reset text styles a trigger's surroundings (a table header, a badge) would otherwise pass on.
      className={cn("modal", size === "lg" ? "max-w-xl" : "max-w-lg")}
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
        <DialogContext.Provider value={context}>
          <div ref={bodyRef} className="mt-4">
            {children}
          </div>
        </DialogContext.Provider>
      </div>
    </dialog>
  );
}

interface DialogProps {
  title: string;
  description?: ReactNode;
  triggerLabel: ReactNode;
  /** Accessible name of the trigger when its label alone is ambiguous in a list (e.g. "Revoke token laptop"). */
  triggerAriaLabel?: string;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  size?: ModalProps["size"];
  children: ReactNode;
}

/**
 * A Modal with its own trigger button, for the common case of one button
 * opening one form. The trigger stays disabled until hydration, so an early
 * click is not silently lost.
 */
export function Dialog({ title, description, triggerLabel, triggerAriaLabel, triggerVariant = "secondary", triggerSize = "sm", size, children }: DialogProps) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);

  return (
    <>
      <Button variant={triggerVariant} size={triggerSize} aria-label={triggerAriaLabel} aria-haspopup="dialog" disabled={!hydrated} onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      <Modal open={open} onClose={close} title={title} description={description} size={size}>
        {children}
      </Modal>
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
