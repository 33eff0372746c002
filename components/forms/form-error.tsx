import { Alert } from "@/components/ui/alert";
import type { ActionState } from "@/lib/actions/result";

/** The form-level error of an action state (field errors are shown next to their fields). */
export function FormError({ state }: { state: ActionState<unknown> }) {
  if (!state || state.ok || !state.formError) return null;
  return (
    <Alert tone="error" testId="form-error">
      {state.formError}
    </Alert>
  );
}
