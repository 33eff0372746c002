import { getEnv } from "@/lib/env";

/** Methods that change state: a request with one of them must come from the app itself when a cookie authenticates it. */
export const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function originOf(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

/**
 * Security-critical: the CSRF rule of every door that a cookie opens (route
 * handlers through withApi, server actions through defineAction). A request
 * is the app's own when its `Origin` is the origin it was sent to (the
 * request's scheme and `Host`, so any port works) or `APP_URL`'s; a browser
 * that sends no `Origin` must say `Sec-Fetch-Site: same-origin`. A request
 * with neither is refused: every browser this app supports sends one of them
 * on a state-changing request, and a page on another port of the same host
 * is "same-site", not "same-origin".
 */
export function isSameOrigin(headers: Headers, protocol: string): boolean {
  const origin = headers.get("origin");
  if (origin !== null) {
    const claimed = originOf(origin);
    if (!claimed) return false;
    const host = headers.get("host");
    const own = host ? originOf(`${protocol.replace(/:?$/, ":")}//${host}`) : null;
    return claimed === own || claimed === originOf(getEnv().APP_URL);
  }
  return headers.get("sec-fetch-site") === "same-origin";
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | null): boolean {
  return value !== null && /^application\/json\s*(;|$)/i.test(value.trim());
}
