import { cn } from "./cn";

export function Spinner({ label = "Loading", className }: { label?: string; className?: string }) {
  return (
    <span role="status" className={cn("inline-flex items-center gap-2", className)}>
      <span
        aria-hidden="true"
        className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent opacity-70"
      />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** The fallback of loading.tsx files. */
export function PageSpinner() {
  return (
    <div className="flex min-h-48 items-center justify-center text-slate-500 dark:text-slate-400">
      <Spinner label="Loading page" className="[&>span:first-child]:size-6" />
    </div>
  );
}
