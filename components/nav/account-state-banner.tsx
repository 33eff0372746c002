import Link from "next/link";
import type { AccountState } from "@/lib/dal/account-state";
import { DateTime } from "@/components/ui/date-time";

/**
 * The account's state on every signed-in page, with what it means and where
 * to get help: a suspended account's devices are out of every server config
 * and it cannot add devices; a paused one has used its monthly data. The
 * layout reads the state (getAccountState) and passes it down.
 */
export function AccountStateBanner({ state }: { state: AccountState }) {
  if (state.status === "suspended") {
    return (
      <section
        role="status"
        aria-label="Account suspended"
        data-testid="account-suspended-banner"
        className="mb-6 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200"
      >
        <p className="font-semibold">Your account is suspended.</p>
        <p className="mt-1">
          Your devices are disconnected and you cannot add new ones until it is restored.
          {state.reason ? <> Reason given: {state.reason}.</> : null}{" "}
          <Link href="/support/new" className="font-medium underline underline-offset-2">
            Contact support
          </Link>{" "}
          if you think this is a mistake.
        </p>
      </section>
    );
  }
  if (state.quotaBlockedUntil) {
    return (
      <section
        role="status"
        aria-label="Data allowance used"
        data-testid="account-quota-banner"
        className="mb-6 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
      >
        <p>
          <span className="font-semibold">This month&apos;s data allowance is used up.</span> Your devices are paused until{" "}
          <DateTime value={state.quotaBlockedUntil} />.{" "}
          <Link href="/usage" className="font-medium underline underline-offset-2">
            See your usage
          </Link>
        </p>
      </section>
    );
  }
  return null;
}
