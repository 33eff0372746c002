import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

export const controlClasses =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-400 focus-visible:border-sky-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-sky-500 disabled:opacity-60 aria-[invalid=true]:border-red-500 sm:text-sm dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:placeholder:text-slate-500 dark:aria-[invalid=true]:border-red-400";

interface FieldProps {
  label: string;
  /** Shown under the control; linked with aria-describedby. */
  hint?: ReactNode;
  /** One or more messages; the control gets aria-invalid and the messages are linked with aria-describedby. */
  error?: string | string[];
  className?: string;
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}

/** A label, a control, a hint and the error next to it, wired together for screen readers. */
export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const errors = Array.isArray(error) ? error : error ? [error] : [];
  const describedBy = [hint ? hintId : null, errors.length ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, ...(errors.length ? { "aria-invalid": true as const } : {}) })}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {errors.length ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

type Common = { label: string; hint?: ReactNode; error?: string | string[]; fieldClassName?: string };

export function InputField({ label, hint, error, fieldClassName, className, ...props }: Common & ComponentProps<"input">) {
  return (
    <Field label={label} hint={hint} error={error} className={fieldClassName}>
      {(a) => <input {...props} {...a} className={cn(controlClasses, className)} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  error,
  fieldClassName,
  className,
  children,
  ...props
}: Common & ComponentProps<"select">) {
  return (
    <Field label={label} hint={hint} error={error} className={fieldClassName}>
      {(a) => (
        <select {...props} {...a} className={cn(controlClasses, className)}>
          {children}
        </select>
      )}
    </Field>
  );
}

export function TextareaField({ label, hint, error, fieldClassName, className, ...props }: Common & ComponentProps<"textarea">) {
  return (
    <Field label={label} hint={hint} error={error} className={fieldClassName}>
      {(a) => <textarea {...props} {...a} className={cn(controlClasses, className)} />}
    </Field>
  );
}
