import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/**
 * A table that scrolls sideways inside its card on narrow screens instead of
 * widening the page. The region is focusable so keyboard users can scroll it;
 * it is positioned so that sr-only (absolute) cells inside it are clipped too.
 */
export function Table({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("relative w-full overflow-x-auto", className)}>
      <table className="w-full min-w-max border-collapse text-left text-sm">
        <caption className="sr-only">{label}</caption>
        {children}
      </table>
    </div>
  );
}

export function Th({ className, ...props }: ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cn(
        "border-b border-slate-200 bg-slate-50 px-3 py-2 first:pl-4 last:pr-4 sm:first:pl-6 sm:last:pr-6 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("border-b border-slate-100 px-3 py-2 align-top first:pl-4 last:pr-4 sm:first:pl-6 sm:last:pr-6 dark:border-slate-800", className)} {...props} />;
}
