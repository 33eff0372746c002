import { cn } from "@/components/ui/cn";

// The device actions swap emphasis at the `sm` breakpoint: on a phone the
// download is the main action (you cannot scan your own screen), on a larger
// screen the QR code is. The classes are in app/globals.css.

/** Primary on phones, secondary from `sm` up (the download). */
export const phonePrimaryButton = (className?: string) => cn("btn btn-fluid btn-phone-primary", className);

/** Secondary on phones, primary from `sm` up (the QR code). */
export const desktopPrimaryButton = (className?: string) => cn("btn btn-fluid btn-desktop-primary", className);
