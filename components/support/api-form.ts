"use client";

import type { ActionFailure, FieldErrors } from "@/lib/actions/result";
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from "@/lib/support/attachments";

export type ApiResult<T> = { ok: true; data: T } | ActionFailure;

/**
 * Forms with files post multipart to the JSON API with the session cookie
 * (server actions cap bodies at 1 MB; attachments go up to 10 MB each). The
 * API's error shape becomes the same field/form errors as an action's.
 */
export async function postForm<T>(url: string, form: FormData): Promise<ApiResult<T>> {
  const files = form.getAll("files").filter((f): f is File => typeof f !== "string" && f.size > 0);
  if (files.length > MAX_ATTACHMENTS_PER_MESSAGE) return { ok: false, fieldErrors: { files: [`Attach at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`] } };
  const big = files.find((f) => f.size > MAX_ATTACHMENT_BYTES);
  if (big) return { ok: false, fieldErrors: { files: [`${big.name} is larger than 10 MB`] } };
  let res: Response;
  try {
    res = await fetch(url, { method: "POST", body: form, credentials: "same-origin", headers: { accept: "application/json" } });
  } catch {
    return { ok: false, formError: "Could not reach SecureWave. Check your connection and try again." };
  }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; details?: unknown } } | null;
  if (res.ok) return { ok: true, data: body as T };
  if (res.status === 401) return { ok: false, formError: "Your session has ended. Sign in again to continue." };
  const fieldErrors: FieldErrors = {};
  if (Array.isArray(body?.error?.details)) {
    for (const d of body.error.details as Array<{ path?: string; message?: string }>) {
      const key = (d.path ?? "").split(".")[0];
      if (key && d.message) (fieldErrors[key] ??= []).push(d.message);
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: false, formError: body?.error?.message ?? "Something went wrong. Please try again." };
}
