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
      <table className="data-table w-full min-w-max border-collapse text-left text-sm">
        <caption className="sr-only">{label}</caption>
        {children}
      </table>
    </div>
  );
}

/** A column heading; its look is the table's (.data-table in app/globals.css), so rows carry no classes of their own. */
export function Th(props: ComponentProps<"th">) {
  return <th scope="col" {...props} />;
}

export function Td(props: ComponentProps<"td">) {
  return <td {...props} />;
}
