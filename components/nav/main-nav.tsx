"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useActionState, useState } from "react";
import type { UserActor } from "@/lib/auth/actor";

type Role = UserActor["role"];
import { cn } from "@/components/ui/cn";
import { isActive, navItemsFor } from "./nav-items";
import { signOutAction } from "./actions";

/** Top bar on wide screens; on phones the links collapse behind a Menu button. */
export function MainNav({ role, email }: { role: Role; email: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [signOutState, signOut] = useActionState(signOutAction, null);
  const items = navItemsFor(role);

  return (
    <nav data-testid="nav" aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 px-4 sm:px-6">
      <Link href="/devices" className="flex h-14 items-center gap-2 font-semibold tracking-tight" onClick={() => setOpen(false)}>
        <span aria-hidden="true" className="inline-block size-6 rounded-md bg-gradient-to-br from-sky-500 to-emerald-500" />
        SecureWave
      </Link>
      <button
        type="button"
        className="ml-auto inline-flex min-h-10 items-center gap-2 rounded-md px-3 text-sm font-medium hover:bg-slate-100 md:hidden dark:hover:bg-slate-800"
        aria-expanded={open}
        aria-controls="main-menu"
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8">
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 6h14M3 10h14M3 14h14" />}
        </svg>
        Menu
      </button>
      <div
        id="main-menu"
        className={cn(
          open ? "flex" : "hidden",
          "basis-full flex-col gap-3 border-t border-slate-200 pb-4 pt-3 md:flex md:flex-1 md:basis-auto md:flex-row md:items-center md:border-0 md:p-0 dark:border-slate-800",
        )}
      >
        <ul className="flex flex-col gap-1 md:flex-row md:items-center">
          {items.map((item) => {
            const active = isActive(pathname, item);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={active ? "page" : undefined}
                  onClick={() => setOpen(false)}
                  className={cn(
                    "block rounded-md px-3 py-2 text-sm font-medium",
                    active
                      ? "bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-300"
                      : "text-slate-700 hover:bg-slate-100 hover:text-slate-900 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white",
                  )}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="flex flex-wrap items-center gap-3 md:ml-auto">
          <span className="max-w-[16rem] truncate px-3 text-sm text-slate-600 md:px-0 dark:text-slate-400" title={email} data-testid="nav-email">
            {email}
          </span>
          <form action={signOut}>
            <button
              type="submit"
              className="min-h-9 rounded-md border border-slate-300 px-3 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
            >
              Sign out
            </button>
          </form>
          {signOutState && !signOutState.ok ? (
            <p role="alert" className="basis-full px-3 text-sm text-red-700 md:basis-auto md:px-0 dark:text-red-400">
              {signOutState.formError ?? "Signing out failed. Please try again."}
            </p>
          ) : null}
        </div>
      </div>
    </nav>
  );
}
