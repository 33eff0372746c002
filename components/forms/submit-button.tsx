"use client";

import type { ReactNode } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** A submit button that disables itself and shows a spinner while its form's action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = "primary",
  size = "md",
  className,
  name,
  value,
  "aria-label": ariaLabel,
}: {
  children: ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
  name?: string;
  value?: string;
  "aria-label"?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <Button
      type="submit"
      variant={variant}
      size={size}
      className={className}
      name={name}
      value={value}
      aria-label={ariaLabel}
      disabled={pending}
      aria-disabled={pending}
    >
      {pending ? <Spinner label={pendingLabel ?? "Working"} /> : null}
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
