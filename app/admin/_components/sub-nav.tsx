"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { cn } from "@/components/ui/cn";
import { isActive, type NavItem } from "@/components/nav/nav-items";

/**
 * A secondary row of links (the admin area's sections). On a phone it
 * scrolls sideways: a shade at either edge says there is more that way
 * (`.scroll-hint`, app/globals.css), and the current section is scrolled
 * into view.
 */
export function SubNav({ label, items, testId }: { label: string; items: NavItem[]; testId?: string }) {
  const pathname = usePathname();
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const nav = ref.current;
    const current = nav?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!nav || !current) return;
    // Only the row scrolls, never the page.
    nav.scrollLeft = Math.max(0, current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2);
  }, [pathname]);
  return (
    <nav ref={ref} aria-label={label} data-testid={testId} className="scroll-hint mx-auto max-w-6xl overflow-x-auto px-4 sm:px-6">
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
