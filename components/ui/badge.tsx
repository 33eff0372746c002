import type { ReactNode } from "react";
import { cn } from "./cn";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

export function Badge({ tone = "neutral", children, className }: { tone?: BadgeTone; children: ReactNode; className?: string }) {
  return (
    // Styles in app/globals.css (`.badge`, `.badge-<tone>`).
    <span className={cn("badge", `badge-${tone}`, className)}>
      {children}
    </span>
  );
}
