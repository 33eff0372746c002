import Link from "next/link";
import { SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS, entries } from "@/lib/support/labels";

export interface QueueFilterValues {
  status?: string;
  priority?: string;
  category?: string;
  assignedTo?: string;
  sla?: string;
}

const VIEWS: Array<{ label: string; params: QueueFilterValues }> = [
  { label: "All open", params: {} },
  { label: "Mine", params: { assignedTo: "me" } },
  { label: "Unassigned", params: { assignedTo: "none" } },
  { label: "Breached", params: { sla: "breached" } },
  { label: "Due soon", params: { sla: "due_soon" } },
];

const href = (p: QueueFilterValues) => {
  const q = new URLSearchParams(Object.entries(p).filter((e): e is [string, string] => !!e[1]));
  return q.size ? `/agent/tickets?${q}` : "/agent/tickets";
};

/** Quick views plus a plain GET form: the filters live in the URL, so a view can be shared and reloaded. */
export function QueueFilters({ values, staff }: { values: QueueFilterValues; staff: Array<{ id: string; email: string; name: string | null }> }) {
  const active = JSON.stringify(values);
  return (
    <div className="space-y-4">
      <nav aria-label="Quick views" className="flex flex-wrap gap-2">
        {VIEWS.map((v) => {
          const current = JSON.stringify(Object.fromEntries(Object.entries(v.params))) === active;
          return (
            <Link
              key={v.label}
              href={href(v.params)}
              aria-current={current ? "page" : undefined}
              className={cn(
                "rounded-full border px-3 py-1 text-sm",
                current ? "border-sky-600 bg-sky-600 text-white dark:border-sky-400 dark:bg-sky-500 dark:text-slate-950" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
              )}
            >
              {v.label}
            </Link>
          );
        })}
      </nav>
      <form method="get" action="/agent/tickets" role="search" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-end">
        <SelectField label="Status" name="status" defaultValue={values.status ?? ""}>
          <option value="">Open (not resolved)</option>
          {entries(STATUS_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
          <option value="all">All statuses</option>
        </SelectField>
        <SelectField label="Priority" name="priority" defaultValue={values.priority ?? ""}>
          <option value="">Any priority</option>
          {entries(PRIORITY_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <SelectField label="Category" name="category" defaultValue={values.category ?? ""}>
          <option value="">Any category</option>
          {entries(CATEGORY_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <SelectField label="Assignee" name="assignedTo" defaultValue={values.assignedTo ?? ""}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {staff.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name ?? p.email}
            </option>
          ))}
        </SelectField>
        <SelectField label="SLA" name="sla" defaultValue={values.sla ?? ""}>
          <option value="">Any</option>
          <option value="breached">Breached</option>
          <option value="due_soon">Due soon</option>
        </SelectField>
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          {active !== "{}" ? (
            <ButtonLink href="/agent/tickets" variant="ghost">
              Clear
            </ButtonLink>
          ) : null}
        </div>
      </form>
    </div>
  );
}
