import type { ReactNode } from "react";
import Link from "next/link";
import { cn } from "@/components/ui/cn";

type Tone = "neutral" | "success" | "warning" | "danger" | "info";

const tones: Record<Tone, string> = {
  neutral: "text-slate-900 dark:text-slate-100",
  info: "text-sky-700 dark:text-sky-300",
  success: "text-emerald-700 dark:text-emerald-300",
  warning: "text-amber-700 dark:text-amber-300",
  danger: "text-red-700 dark:text-red-300",
};

/**
 * One figure with its label, already formatted ("12.3 GB", "$1,200.00",
 * "not measured"); for use inside a <dl>. With `href` the label links to the
 * page behind the figure.
 */
export function Metric({
  label,
  value,
  hint,
  tone = "neutral",
  id,
  href,
  className,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  tone?: Tone;
  id?: string;
  href?: string;
  className?: string;
}) {
  return (
    <div data-metric={id} className={cn("min-w-0 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900", className)}>
      <dt className="text-sm font-medium text-slate-600 dark:text-slate-400">
        {href ? (
          <Link href={href} className="underline decoration-slate-300 underline-offset-2 hover:text-slate-900 dark:decoration-slate-600 dark:hover:text-slate-100">
            {label}
          </Link>
        ) : (
          label
        )}
      </dt>
      <dd className={cn("mt-1 text-xl font-semibold break-words tabular-nums sm:text-2xl", tones[tone])}>{value}</dd>
      {hint ? <dd className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}

/** A compact label/value row, for figures listed beside a chart. */
export function MetricRow({ label, value, id }: { label: ReactNode; value: ReactNode; id?: string }) {
  return (
    <div data-metric={id} className="flex items-baseline justify-between gap-3 border-b border-slate-100 py-2 last:border-b-0 dark:border-slate-800">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-right text-sm font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
