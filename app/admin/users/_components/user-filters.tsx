import { InputField, SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";
import { ROLE_LABELS, STATUS_LABELS } from "./labels";

/** A plain GET form: the filters live in the URL, so a filtered page can be shared and reloaded. */
export function UserFilters({ q, role, status }: { q?: string; role?: string; status?: string }) {
  return (
    <form method="get" action="/admin/users" role="search" className="grid gap-3 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-end">
      <InputField label="Search by email" name="q" type="search" defaultValue={q} placeholder="alice@" maxLength={254} />
      <SelectField label="Role" name="role" defaultValue={role ?? ""}>
        <option value="">All roles</option>
        {Object.entries(ROLE_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <SelectField label="Status" name="status" defaultValue={status ?? ""}>
        <option value="">All statuses</option>
        {Object.entries(STATUS_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <div className="flex gap-2">
        <Button type="submit">Filter</Button>
        {q || role || status ? (
          <ButtonLink href="/admin/users" variant="ghost">
            Clear
          </ButtonLink>
        ) : null}
      </div>
    </form>
  );
}
