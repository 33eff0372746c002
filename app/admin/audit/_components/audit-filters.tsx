import { InputField, SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";

/** The kinds of object the app records actions on, in words. */
export const TARGET_TYPES: Record<string, string> = {
  user: "Account",
  wireguard_peer: "Device",
  vpn_server: "Server",
  abuse_incident: "Abuse incident",
  api_token: "API token",
  user_session: "Sign-in session",
  share_link: "Share link",
  plan: "Plan",
  plan_change_request: "Plan change request",
  support_macro: "Support macro",
  job: "Job",
  setting: "Setting",
};

type Values = { action?: string; actor?: string; targetType?: string; target?: string; from?: string; to?: string };

/** A plain GET form: every filter is a URL parameter, so a filtered view can be shared and reloaded, and pages keep it. */
export function AuditFiltersForm({ filters, filtered }: { filters: Values; filtered: boolean }) {
  return (
    <form method="get" action="/admin/audit" role="search" aria-label="Filter the audit log" data-testid="audit-filters" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <InputField label="Actor" name="actor" defaultValue={filters.actor} placeholder="ada@, an account id, or system" maxLength={254} autoComplete="off" spellCheck={false} />
        <InputField label="Action" name="action" defaultValue={filters.action} placeholder="auth.sign_in_failed or account." maxLength={100} autoComplete="off" spellCheck={false} />
        <SelectField label="Target type" name="targetType" defaultValue={filters.targetType ?? ""}>
          <option value="">Any target</option>
          {Object.entries(TARGET_TYPES).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <InputField label="Target" name="target" defaultValue={filters.target} placeholder="bob@ or an id" maxLength={254} autoComplete="off" spellCheck={false} />
        <InputField label="From (UTC day)" name="from" type="date" defaultValue={filters.from} />
        <InputField label="To (UTC day, included)" name="to" type="date" defaultValue={filters.to} />
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-400">
        An email matches accounts whose address starts with it; an action matches actions starting with it.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">Filter</Button>
        {filtered ? (
          <ButtonLink href="/admin/audit" variant="ghost">
            Clear
          </ButtonLink>
        ) : null}
      </div>
    </form>
  );
}
