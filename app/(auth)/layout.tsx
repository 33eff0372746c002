import Link from "next/link";
import type { ReactNode } from "react";

/** The signed-out frame: a centred card, full width on phones. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-start px-4 py-10 sm:justify-center">
      <Link href="/" className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight">
        <span aria-hidden="true" className="inline-block size-7 rounded-md bg-gradient-to-br from-sky-500 to-emerald-500" />
        SecureWave
      </Link>
      <main className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        {children}
      </main>
    </div>
  );
}
