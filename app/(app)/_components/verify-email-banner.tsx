import type { UserActor } from "@/lib/auth/actor";
import { emailVerificationPending } from "@/lib/dal/email-verification";
import { ResendVerificationButton } from "./resend-verification-button";

/** SIGNUP_MODE=verify: until the address is confirmed, every signed-in page says so (and adding a device is refused). */
export async function VerifyEmailBanner({ user }: { user: UserActor }) {
  if (!(await emailVerificationPending(user))) return null;
  return (
    <section
      aria-label="Confirm your email address"
      data-testid="verify-email-banner"
      className="mb-6 flex flex-col gap-3 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900 sm:flex-row sm:items-center sm:justify-between dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
    >
      <p>
        <span className="font-semibold">Confirm your email address.</span> Open the link we sent to <span className="break-all">{user.email}</span> to add
        devices.
      </p>
      <ResendVerificationButton />
    </section>
  );
}
