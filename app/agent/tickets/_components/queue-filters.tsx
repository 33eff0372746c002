import Link from "next/link";
import { InputField, SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS, entries } from "@/lib/support/labels";

export interface QueueFilterValues {
  status?: string;
  priority?: string;
  category?: string;
  assignedTo?: string;
  sla?: string;
  tag?: string;
  q?: string;
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
export function QueueFilters({ values, staff, tags = [] }: { values: QueueFilterValues; staff: Array<{ id: string; email: string; name: string | null }>; tags?: string[] }) {
  const active = JSON.stringify(values);
  // The current tag stays choosable even when no open ticket carries it any more.
  const tagOptions = values.tag && !tags.includes(values.tag) ? [values.tag, ...tags] : tags;
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
                current ? "border-sky-700 bg-sky-700 text-white dark:border-sky-400 dark:bg-sky-500 dark:text-slate-950" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800",
              )}
            >
              {v.label}
            </Link>
          );
        })}
      </nav>
      <form method="get" action="/agent/tickets" role="search" className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6 lg:items-end">
        <InputField label="Search tickets" name="q" type="search" defaultValue={values.q ?? ""} maxLength={200} placeholder="Words in subjects and messages" fieldClassName="sm:col-span-3 lg:col-span-6" />
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
        <SelectField label="Tag" name="tag" defaultValue={values.tag ?? ""}>
          <option value="">Any tag</option>
          {tagOptions.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
        <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
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
