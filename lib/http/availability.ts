/**
 * Whether the database answers, asked by the proxy before a page is
 * rendered, so that a page requested while PostgreSQL is down says so with
 * 503 (as the API does) instead of failing its render with 500. The probe is
 * installed by the server at start (lib/server/start.ts): the proxy is built
 * apart from the app and must not open a database of its own, so the two
 * meet on globalThis, in the one process that serves both.
 */
const g = globalThis as unknown as { __swDbProbe?: () => Promise<boolean> };

export function installDatabaseProbe(probe: () => Promise<boolean>): void {
  g.__swDbProbe = probe;
}

/** True without a probe (a process that serves no pages, or one still starting). */
export async function databaseAnswers(): Promise<boolean> {
  const probe = g.__swDbProbe;
  if (!probe) return true;
  try {
    return await probe();
  } catch {
    return false;
  }
}

/** Seconds a browser is asked to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A whole page with no script and no framework (neither may be reachable):
 * a meta refresh brings the page back by itself once the database is back.
 */
export function unavailablePage(): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}">
<title>Temporarily unavailable · SecureWave</title>
<style>body{font-family:system-ui,sans-serif;margin:0;min-height:100vh;display:grid;place-items:center;background:#f8fafc;color:#0f172a}
main{max-width:32rem;padding:2rem}h1{font-size:1.5rem;margin:0 0 .75rem}p{line-height:1.5;color:#334155}
@media (prefers-color-scheme:dark){body{background:#020617;color:#f1f5f9}p{color:#cbd5e1}}</style></head>
<body><main><h1>SecureWave is temporarily unavailable</h1>
<p>We cannot reach our database right now. Your VPN tunnels are not affected: devices that are connected stay connected.</p>
<p>This page tries again every ${RETRY_AFTER_SECONDS} seconds and comes back by itself.</p></main></body></html>`;
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Retry-After": String(RETRY_AFTER_SECONDS) },
  });
}
