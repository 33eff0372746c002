"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";
import { isActive, type NavItem } from "@/components/nav/nav-items";

/** A secondary row of links (the admin area's sections); scrolls sideways on phones. */
export function SubNav({ label, items, testId }: { label: string; items: NavItem[]; testId?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} data-testid={testId} className="mx-auto max-w-6xl overflow-x-auto px-4 sm:px-6">
      <ul className="flex min-w-max gap-1 py-2">
        {items.map((item) => {
          const active = isActive(pathname, item);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "block whitespace-nowrap rounded-md px-3 py-1.5 text-sm",
                  active
                    ? "bg-slate-900 font-medium text-white dark:bg-slate-100 dark:text-slate-900"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
                )}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
