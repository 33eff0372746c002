import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

type Tone = "neutral" | "success" | "warning" | "danger" | "info";

const valueTones: Record<Tone, string> = {
  neutral: "text-slate-900 dark:text-slate-100",
  info: "text-sky-700 dark:text-sky-300",
  success: "text-emerald-700 dark:text-emerald-300",
  warning: "text-amber-700 dark:text-amber-300",
  danger: "text-red-700 dark:text-red-300",
};

/** One number with its label, for a grid of statistics. */
export function StatCard({ label, value, hint, tone = "neutral", id }: { label: string; value: number; hint?: ReactNode; tone?: Tone; id?: string }) {
  return (
    <div data-stat={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", value > 0 ? valueTones[tone] : valueTones.neutral)}>{value.toLocaleString("en")}</dd>
      {hint ? <dd className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</dd> : null}
    </div>
  );
}
