import type { ReactNode } from "react";
import type { UserActor } from "@/lib/auth/actor";
import type { AccountState } from "@/lib/dal/account-state";
import { MainNav } from "./main-nav";
import { AccountStateBanner } from "./account-state-banner";

/** The signed-in frame shared by the (app), agent and admin layouts; `accountState` is the user's (getAccountState). */
export function AppShell({
  user,
  accountState,
  subNav,
  children,
}: {
  user: Pick<UserActor, "email" | "role">;
  accountState: AccountState;
  subNav?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-900"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
        <MainNav role={user.role} email={user.email} />
        {subNav ? <div className="border-t border-slate-200 dark:border-slate-800">{subNav}</div> : null}
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:px-6 sm:py-8">
        <AccountStateBanner state={accountState} />
        {children}
      </main>
    </div>
  );
}
