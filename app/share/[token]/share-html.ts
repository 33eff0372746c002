import QRCode from "qrcode";

/*
 * The one-time link's pages, as complete HTML documents: the route answers
 * them itself so it controls their status codes (200/404/410) and headers.
 * No script at all: a phone's browser only needs the QR code, the text and a
 * download link. Every dynamic value goes through `esc`.
 */

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/*
 * The app's look without its stylesheet (the page's policy allows no
 * external style, and a one-page document needs a few rules only): the
 * signed-out frame of app/(auth)/layout.tsx — the brand with its gradient
 * mark above a centred card — in the app's font stack and Tailwind colours
 * (app/globals.css), its primary button, and the same dark scheme.
 */
const C = {
  slate50: "oklch(98.4% 0.003 247.858)",
  slate100: "oklch(96.8% 0.007 247.896)",
  slate200: "oklch(92.9% 0.013 255.508)",
  slate400: "oklch(70.4% 0.04 256.788)",
  slate600: "oklch(44.6% 0.043 257.281)",
  slate800: "oklch(27.9% 0.041 260.031)",
  slate900: "oklch(20.8% 0.042 265.755)",
  slate950: "oklch(12.9% 0.042 264.695)",
  sky400: "oklch(74.6% 0.16 232.661)",
  sky500: "oklch(68.5% 0.169 237.323)",
  sky700: "oklch(50% 0.134 242.749)",
  sky800: "oklch(44.3% 0.11 240.79)",
  emerald500: "oklch(69.6% 0.17 162.48)",
  amber600: "oklch(66.6% 0.179 58.318)",
};
const FONT = `ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"`;

const STYLE = `
  :root { color-scheme: light dark; line-height: 1.5; -webkit-text-size-adjust: 100%; }
  *, ::before, ::after { box-sizing: border-box; }
  body { margin: 0; min-height: 100dvh; background: ${C.slate50}; color: ${C.slate900}; font-family: ${FONT}; -webkit-font-smoothing: antialiased; -moz-osx-font-smoothing: grayscale; }
  .frame { display: flex; min-height: 100dvh; flex-direction: column; align-items: center; justify-content: flex-start; padding: 2.5rem 1rem; }
  @media (min-width: 40rem) { .frame { justify-content: center; } }
  .brand { display: flex; align-items: center; gap: .5rem; margin-bottom: 1.5rem; font-size: 1.125rem; line-height: 1.75rem; font-weight: 600; letter-spacing: -0.025em; color: inherit; text-decoration: none; border-radius: .25rem; }
  .mark { display: inline-block; width: 1.75rem; height: 1.75rem; border-radius: .375rem; background-image: linear-gradient(to bottom right in oklab, ${C.sky500} 0%, ${C.emerald500} 100%); }
  main { width: 100%; max-width: 28rem; border: 1px solid ${C.slate200}; border-radius: .5rem; background: #fff; padding: 1.5rem; box-shadow: 0 1px 3px 0 rgb(0 0 0 / .1), 0 1px 2px -1px rgb(0 0 0 / .1); }
  main > :last-child, main > :last-child > :last-child { margin-bottom: 0; }
  h1 { font-size: 1.25rem; line-height: 1.75rem; font-weight: 600; margin: 0 0 .75rem; }
  p { font-size: .875rem; line-height: 1.25rem; margin: .75rem 0; }
  .muted { color: ${C.slate600}; }
  .button { display: inline-flex; align-items: center; justify-content: center; gap: .5rem; border: 0; border-radius: .375rem; background: ${C.sky700}; color: #fff; font: inherit; font-size: .875rem; line-height: 1.25rem; font-weight: 500;
    padding: .5rem 1rem; min-height: 2.5rem; cursor: pointer; text-decoration: none; }
  .button:hover { background: ${C.sky800}; }
  :focus-visible { outline: 2px solid ${C.sky500}; outline-offset: 2px; }
  .qr { background: #fff; padding: 0; margin: 1rem auto; width: min(100%, 400px); line-height: 0; }
  .qr svg { width: 100%; height: auto; display: block; }
  details { font-size: .875rem; }
  summary { cursor: pointer; color: ${C.sky700}; font-weight: 500; }
  pre { background: ${C.slate100}; border-radius: .375rem; padding: .75rem; overflow: auto; font-family: ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", monospace; font-size: .75rem; white-space: pre; }
  .warn { border-left: 4px solid ${C.amber600}; padding-left: .75rem; }
  @media (prefers-color-scheme: dark) {
    body { background: ${C.slate950}; color: ${C.slate100}; }
    main { background: ${C.slate900}; border-color: ${C.slate800}; }
    .muted { color: ${C.slate400}; }
    .button { background: ${C.sky500}; color: ${C.slate950}; }
    .button:hover { background: ${C.sky400}; }
    summary { color: ${C.sky400}; }
    pre { background: ${C.slate800}; }
  }`;

/** A whole page: the app's favicon, the brand (a link to the app) above a card holding `body`. */
function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="/icon.svg" type="image/svg+xml" sizes="any">
<title>${esc(title)} · SecureWave</title>
<style>${STYLE}</style>
</head>
<body><div class="frame"><a class="brand" href="/" data-testid="brand"><span class="mark" aria-hidden="true"></span>SecureWave</a><main>${body}</main></div></body>
</html>`;
}

/**
 * The link's expiry as markup: the time of day in the reader's zone (the
 * `tz` cookie of a browser that has used the app, else UTC) saying which
 * zone, with the instant in UTC as its title and machine value. "15:05
 * (Europe/Paris)", or "14:05 UTC"; with the date when it is not the day of
 * `now` there.
 */
export function expiryMarkup(iso: string, timeZone: string, now: Date): string {
  const at = new Date(iso);
  const utc = `${at.toISOString().slice(11, 16)} UTC`;
  let zone = timeZone || "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
  } catch {
    zone = "UTC";
  }
  const dayOf = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: zone }).format(d);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(at);
  const date = dayOf(at) === dayOf(now) ? "" : `${dayOf(at)}, `;
  const text = zone === "UTC" ? `${date}${utc}` : `${date}${time} (${zone})`;
  return `<time datetime="${esc(at.toISOString())}" title="${esc(`${at.toISOString().slice(0, 10)} ${utc}`)}">${esc(text)}</time>`;
}

/** GET: what the link is for, and the one button that uses it up. `timeZone` is the reader's (UTC when unknown). */
export function revealPage(p: { deviceName: string; expiresAt: string; now: Date; timeZone?: string }): string {
  const minutes = Math.max(1, Math.ceil((new Date(p.expiresAt).getTime() - p.now.getTime()) / 60_000));
  return document(
    "Your VPN configuration",
    `<h1>VPN configuration for “${esc(p.deviceName)}”</h1>
<p>Open this on the phone or computer that will use the VPN, then reveal the configuration to scan its QR code with the WireGuard app or download its file.</p>
<p class="warn">This link works <strong>once</strong>: after you reveal the configuration, it stops working. It expires at ${expiryMarkup(p.expiresAt, p.timeZone ?? "UTC", p.now)} (in about ${minutes} minute${minutes === 1 ? "" : "s"}).</p>
<form method="post"><p><button class="button" type="submit">Reveal configuration</button></p></form>`,
  );
}

/** POST: the configuration, as a QR code (error correction L, 4-module quiet zone, black on white) and as a file. */
export async function configPage(p: { deviceName: string; text: string; filename: string }): Promise<string> {
  const svg = await QRCode.toString(p.text, { type: "svg", errorCorrectionLevel: "L", margin: 4, color: { dark: "#000000ff", light: "#ffffffff" } });
  const href = `data:text/plain;charset=utf-8;base64,${Buffer.from(p.text, "utf8").toString("base64")}`;
  return document(
    "Your VPN configuration",
    `<h1>VPN configuration for “${esc(p.deviceName)}”</h1>
<p>In the WireGuard app: <strong>Add a tunnel</strong> → <strong>Create from QR code</strong>, and scan this code.</p>
<div class="qr" data-testid="share-qr" role="img" aria-label="${esc(`WireGuard configuration QR code for ${p.deviceName}`)}">${svg}</div>
<p><a class="button" data-testid="share-download" href="${esc(href)}" download="${esc(p.filename)}">Download ${esc(p.filename)}</a></p>
<p class="muted">On this device? Download the file and open it with the WireGuard app (or <strong>Import tunnel from file</strong>).</p>
<p class="warn">This page is shown once: the link no longer works. Anyone who sees this code can use this device's connection, so keep it private.</p>
<details><summary>Show the configuration text</summary><pre data-testid="share-config">${esc(p.text)}</pre></details>`,
  );
}

/** 404, 409 and 410: why there is nothing to show. */
export function problemPage(title: string, message: string): string {
  return document(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}
