import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

/**
 * A table that scrolls sideways inside its card on narrow screens instead of
 * widening the page. The region is focusable so keyboard users can scroll it;
 * it is positioned so that sr-only (absolute) cells inside it are clipped too.
 *
 * By default every column takes its widest content (`min-w-max`). A `fixed`
 * table instead shares its width out by the headings' widths (`table-fixed`)
 * from 60rem up, so no data can widen it past a desktop screen: its cells
 * ellipse or wrap what does not fit. Give each heading a width when using it.
 */
export function Table({ label, children, className, fixed = false }: { label: string; children: ReactNode; className?: string; fixed?: boolean }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("relative w-full overflow-x-auto", className)}>
      <table className={cn("data-table w-full border-collapse text-left text-sm", fixed ? "table-fixed min-w-[60rem]" : "min-w-max")}>
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
