/**
 * What every server action returns, for useActionState. `values` echoes the
 * submitted non-secret fields so a form keeps them after React resets it.
 */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionFailure = {
  ok: false;
  fieldErrors?: FieldErrors;
  formError?: string;
  values?: Record<string, string>;
};

export type ActionResult<T = null> = { ok: true; data: T } | ActionFailure;

/** The state before the first submission. */
export type ActionState<T = null> = ActionResult<T> | null;

export function failure(formError: string, extra: Omit<ActionFailure, "ok" | "formError"> = {}): ActionFailure {
  return { ok: false, formError, ...extra };
}

/** The text fields of a form, for echoing back; keys listed explicitly so a password is never included. */
export function pickValues(form: FormData, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = form.get(k);
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

export function fieldError(state: ActionState<unknown>, name: string): string[] | undefined {
  return state && !state.ok ? state.fieldErrors?.[name] : undefined;
}

export function valueOf(state: ActionState<unknown>, name: string): string | undefined {
  return state && !state.ok ? state.values?.[name] : undefined;
}
