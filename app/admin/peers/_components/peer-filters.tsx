import { InputField, SelectField } from "@/components/ui/field";
import { Button, ButtonLink } from "@/components/ui/button";

export const PEER_STATUS_LABELS = { active: "Active", revoked: "Revoked", online: "Online now", offline: "Active, offline" } as const;

/** A plain GET form: the filters live in the URL, so a filtered list can be shared, reloaded and exported as it is. */
export function PeerFilters({
  action,
  q,
  serverId,
  status,
  servers,
  hidden = {},
}: {
  action: string;
  /** Parameters the form keeps as they are (a page's time range). */
  hidden?: Record<string, string>;
  q?: string;
  serverId?: string;
  status?: string;
  servers?: { id: string; name: string }[];
}) {
  return (
    <form
      method="get"
      action={action}
      role="search"
      aria-label="Search devices"
      data-testid="peer-filters"
      className={servers ? "grid gap-3 md:grid-cols-[1fr_12rem_11rem_auto] md:items-start" : "grid gap-3 md:grid-cols-[1fr_11rem_auto] md:items-start"}
    >
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <InputField
        label="Search"
        name="q"
        type="search"
        defaultValue={q}
        placeholder="alice@, Laptop, 10.8.0.2, a key…"
        hint="The start of an owner's email, a device name, an address or a public key; a whole address or key finds exactly that device."
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
      />
      {servers ? (
        <SelectField label="Server" name="serverId" defaultValue={serverId ?? ""}>
          <option value="">All servers</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField label="Status" name="status" defaultValue={status ?? ""}>
        <option value="">Any status</option>
        {Object.entries(PEER_STATUS_LABELS).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </SelectField>
      <div className="flex gap-2 md:mt-6">
        <Button type="submit">Search</Button>
        {q || serverId || status ? (
          <ButtonLink href={action} variant="ghost">
            Clear
          </ButtonLink>
        ) : null}
      </div>
    </form>
  );
}
