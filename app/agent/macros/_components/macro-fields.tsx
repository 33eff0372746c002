import { InputField, SelectField, TextareaField } from "@/components/ui/field";
import { fieldError, valueOf, type ActionState } from "@/lib/actions/result";
import { MACRO_PLACEHOLDERS, type MacroDto } from "@/lib/support/macros";
import { STATUS_LABELS, entries } from "@/lib/support/labels";

/** The fields of a macro, for the create form and the edit dialog; after a refused submit they show what was sent. */
export function MacroFields({ state, defaults }: { state: ActionState<unknown>; defaults?: MacroDto }) {
  return (
    <>
      <InputField label="Name" name="name" required maxLength={80} defaultValue={valueOf(state, "name") ?? defaults?.name ?? ""} error={fieldError(state, "name")} />
      <TextareaField
        label="Reply text"
        name="body"
        required
        rows={6}
        maxLength={10_000}
        defaultValue={valueOf(state, "body") ?? defaults?.body ?? ""}
        error={fieldError(state, "body")}
        hint={<>Placeholders: {MACRO_PLACEHOLDERS.map((p, i) => <span key={p}>{i ? ", " : ""}<code className="font-mono">{p}</code></span>)}.</>}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Set status" name="setStatus" defaultValue={valueOf(state, "setStatus") ?? defaults?.setStatus ?? ""} error={fieldError(state, "setStatus")}>
          <option value="">No change</option>
          {entries(STATUS_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </SelectField>
        <InputField label="Add tags" name="addTags" placeholder="billing, refund" defaultValue={valueOf(state, "addTags") ?? defaults?.addTags.join(", ") ?? ""} error={fieldError(state, "addTags")} hint="Comma-separated." />
      </div>
    </>
  );
}
