import { Alert } from "@/components/ui/alert";
import type { ActionState } from "@/lib/actions/result";

/**
 * The form-level error, plus any field error for a field this form does not
 * show (so no message from the server is ever silently dropped).
 */
export function FormMessages({ state, fields }: { state: ActionState<unknown>; fields: readonly string[] }) {
  if (!state || state.ok) return null;
  const others = Object.entries(state.fieldErrors ?? {})
    .filter(([name, messages]) => !fields.includes(name) && messages?.length)
    .flatMap(([, messages]) => messages ?? []);
  const messages = [state.formError, ...others].filter((m): m is string => !!m);
  if (messages.length === 0) return null;
  return (
    <Alert tone="error">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </Alert>
  );
}
