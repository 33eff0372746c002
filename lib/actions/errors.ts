import "server-only";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeError, log } from "@/lib/log";
import type { ActionFailure, FieldErrors } from "@/lib/actions/result";

const GENERIC = "Something went wrong. Please try again.";

/** Zod issues as field errors keyed by the top-level field name. */
export function zodFailure(error: z.ZodError, values?: Record<string, string>): ActionFailure {
  return { ok: false, fieldErrors: z.flattenError(error).fieldErrors as FieldErrors, values };
}

function detailsToFieldErrors(details: unknown): FieldErrors | undefined {
  if (!Array.isArray(details)) return undefined;
  const out: FieldErrors = {};
  for (const d of details) {
    const path = (d as { path?: unknown })?.path;
    const message = (d as { message?: unknown })?.message;
    if (typeof path === "string" && path && typeof message === "string") (out[path] ??= []).push(message);
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Maps an error thrown inside a server action to a form state. Next's
 * redirect/notFound/forbidden signals are rethrown; an AppError's message is
 * written for users; anything else is logged and answered generically, so an
 * internal message (SQL, stack) never reaches the browser.
 */
export function actionFailure(err: unknown, values?: Record<string, string>): ActionFailure {
  unstable_rethrow(err);
  if (err instanceof AppError && err.code !== "internal_error") {
    const fieldErrors = detailsToFieldErrors(err.details);
    return fieldErrors ? { ok: false, fieldErrors, values } : { ok: false, formError: err.message, values };
  }
  log.error("server action failed", describeError(err));
  return { ok: false, formError: GENERIC, values };
}
