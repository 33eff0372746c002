import QRCode from "qrcode";

/*
 * The one-time link's pages, as complete HTML documents: the route answers
 * them itself so it controls their status codes (200/404/410) and headers.
 * No script at all: a phone's browser only needs the QR code, the text and a
 * download link. Every dynamic value goes through `esc`.
 */

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
  :root { color-scheme: light dark; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f8fafc; color: #0f172a; }
  main { max-width: 34rem; margin: 0 auto; padding: 2rem 1rem 3rem; }
  h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
  p { line-height: 1.55; margin: .5rem 0; }
  .brand { display: flex; align-items: center; gap: .5rem; font-weight: 600; letter-spacing: -.01em; color: #0f172a; margin-bottom: 1.5rem; }
  .brand img { width: 1.5rem; height: 1.5rem; }
  .card { background: #fff; border: 1px solid #e2e8f0; border-radius: .6rem; padding: 1.25rem; box-shadow: 0 1px 2px rgb(0 0 0 / .05); }
  .muted { color: #475569; font-size: .9rem; }
  .button { display: inline-flex; align-items: center; justify-content: center; border: 0; border-radius: .4rem; background: #0369a1; color: #fff; font: inherit; font-weight: 600;
    padding: .75rem 1.25rem; min-height: 2.75rem; cursor: pointer; text-decoration: none; }
  .button:focus-visible { outline: 2px solid #0ea5e9; outline-offset: 2px; }
  .qr { background: #fff; padding: 0; margin: 1rem auto; width: min(100%, 400px); line-height: 0; }
  .qr svg { width: 100%; height: auto; display: block; }
  pre { background: #f1f5f9; border-radius: .4rem; padding: .75rem; overflow: auto; font-size: .8rem; white-space: pre; }
  .warn { border-left: 4px solid #d97706; padding-left: .75rem; }
  @media (prefers-color-scheme: dark) {
    body { background: #020617; color: #e2e8f0; }
    .card { background: #0f172a; border-color: #1e293b; }
    .muted { color: #94a3b8; }
    .brand { color: #e2e8f0; }
    pre { background: #1e293b; }
  }`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow, noarchive">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<title>${esc(title)} · SecureWave</title>
<style>${STYLE}</style>
</head>
<body><main><div class="brand"><img src="/icon.svg" alt="" width="24" height="24">SecureWave</div><div class="card">${body}</div></main></body>
</html>`;
}

const utcTime = (iso: string) => `${new Date(iso).toISOString().slice(11, 16)} UTC`;

/** GET: what the link is for, and the one button that uses it up. */
export function revealPage(p: { deviceName: string; expiresAt: string; now: Date }): string {
  const minutes = Math.max(1, Math.ceil((new Date(p.expiresAt).getTime() - p.now.getTime()) / 60_000));
  return document(
    "Your VPN configuration",
    `<h1>VPN configuration for “${esc(p.deviceName)}”</h1>
<p>Open this on the phone or computer that will use the VPN, then reveal the configuration to scan its QR code with the WireGuard app or download its file.</p>
<p class="warn">This link works <strong>once</strong>: after you reveal the configuration, it stops working. It expires at ${esc(utcTime(p.expiresAt))} (in about ${minutes} minute${minutes === 1 ? "" : "s"}).</p>
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
