import { cn } from "@/components/ui/cn";

// The device actions swap emphasis at the `sm` breakpoint: on a phone the
// download is the main action (you cannot scan your own screen), on a larger
// screen the QR code is. Colours are written per breakpoint (max-sm: / sm:)
// so the two sets never compete in the cascade.

const base =
  "inline-flex items-center justify-center gap-2 rounded-md border font-medium text-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 disabled:cursor-not-allowed disabled:opacity-60 min-h-10 px-4 py-2 sm:min-h-8 sm:px-3 sm:py-1";

const primaryOnPhone =
  "max-sm:border-transparent max-sm:bg-sky-700 max-sm:text-white max-sm:hover:bg-sky-800 max-sm:dark:bg-sky-500 max-sm:dark:text-slate-950 max-sm:dark:hover:bg-sky-400 sm:border-slate-300 sm:bg-white sm:text-slate-900 sm:hover:bg-slate-100 sm:dark:border-slate-700 sm:dark:bg-slate-900 sm:dark:text-slate-100 sm:dark:hover:bg-slate-800";

const primaryOnDesktop =
  "sm:border-transparent sm:bg-sky-700 sm:text-white sm:hover:bg-sky-800 sm:dark:bg-sky-500 sm:dark:text-slate-950 sm:dark:hover:bg-sky-400 max-sm:border-slate-300 max-sm:bg-white max-sm:text-slate-900 max-sm:hover:bg-slate-100 max-sm:dark:border-slate-700 max-sm:dark:bg-slate-900 max-sm:dark:text-slate-100 max-sm:dark:hover:bg-slate-800";

/** Primary on phones, secondary from `sm` up (the download). */
export const phonePrimaryButton = (className?: string) => cn(base, primaryOnPhone, className);

/** Secondary on phones, primary from `sm` up (the QR code). */
export const desktopPrimaryButton = (className?: string) => cn(base, primaryOnDesktop, className);
