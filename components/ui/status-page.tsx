import type { ReactNode } from "react";

/** The body of 403/404/error pages. */
export function StatusPage({ code, title, children, action }: { code?: string; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-[60dvh] max-w-lg flex-col items-center justify-center gap-3 px-4 py-16 text-center">
      {code ? <p className="font-mono text-sm font-semibold text-sky-700 dark:text-sky-400">{code}</p> : null}
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children ? <div className="text-sm text-slate-600 dark:text-slate-400">{children}</div> : null}
      {action ? <div className="mt-3">{action}</div> : null}
    </main>
  );
}
