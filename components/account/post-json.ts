"use client";

import type { ActionFailure, FieldErrors } from "@/lib/actions/result";

export type JsonResult<T> = { ok: true; data: T } | ActionFailure;

/**
 * POSTs JSON to the app's own API with the session cookie (the two-factor
 * enrolment, which a staff member who must enrol can reach while every page
 * action is closed to them). The API's error shape becomes the same field and
 * form errors as a server action's.
 */
export async function postJson<T>(url: string, body?: unknown): Promise<JsonResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, formError: "Could not reach SecureWave. Check your connection and try again." };
  }
  const json = (await res.json().catch(() => null)) as { error?: { message?: string; details?: unknown } } | null;
  if (res.ok) return { ok: true, data: json as T };
  if (res.status === 401) return { ok: false, formError: "Your session has ended. Sign in again to continue." };
  const fieldErrors: FieldErrors = {};
  if (Array.isArray(json?.error?.details)) {
    for (const d of json.error.details as Array<{ path?: string; message?: string }>) {
      const key = (d.path ?? "").split(".")[0];
      if (key && d.message) (fieldErrors[key] ??= []).push(d.message);
    }
  }
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: false, formError: json?.error?.message ?? "Something went wrong. Please try again." };
}
