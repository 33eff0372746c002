import { Button, ButtonLink } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES } from "@/lib/abuse/types";
import { SEVERITY_LABELS, STATUS_LABELS, TYPE_LABELS } from "@/components/abuse/labels";

/** A plain GET form: the filters live in the URL, so a filtered queue can be shared and reloaded. */
export function IncidentFilters({ type, severity, status }: { type?: string; severity?: string; status?: string }) {
  return (
    <form method="get" action="/admin/abuse" role="search" aria-label="Filter incidents" className="grid gap-3 sm:grid-cols-[1fr_10rem_10rem_auto] sm:items-end">
      <SelectField label="Type" name="type" defaultValue={type ?? ""}>
        <option value="">All types</option>
        {INCIDENT_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Severity" name="severity" defaultValue={severity ?? ""}>
        <option value="">All severities</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {SEVERITY_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Status" name="status" defaultValue={status ?? ""}>
        <option value="">All statuses</option>
        {INCIDENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <div className="flex gap-2">
        <Button type="submit">Filter</Button>
        {type || severity || status ? (
          <ButtonLink href="/admin/abuse" variant="ghost">
            Clear
          </ButtonLink>
        ) : null}
      </div>
    </form>
  );
}
