/**
 * Security-critical: only a same-origin destination may follow sign-in, so
 * /sign-in?callbackUrl=https://evil.example cannot bounce a user off-site.
 * The proxy passes an absolute URL of this host; it is reduced to its path.
 * "//host" and "/\host" are protocol-relative in browsers and refused.
 */
export function safeCallbackUrl(value: unknown, currentHost: string | null, fallback = "/"): string {
  if (typeof value !== "string" || value === "" || value.length > 2048) return fallback;
  let path = value;
  if (!value.startsWith("/")) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return fallback;
    }
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !currentHost || url.host !== currentHost) return fallback;
    path = `${url.pathname}${url.search}${url.hash}`;
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return fallback;
  if (/^\/(sign-in|sign-up|forgot-password|reset-password|verify-email|setup-two-factor)(?:[/?#]|$)/.test(path)) return fallback;
  return path;
}

/** The host this request came in on (behind a proxy, the forwarded one). */
export function requestHost(h: Headers): string | null {
  return h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host");
}
