"use client";

import { withPrivateKey } from "./local-keys";

export interface LoadedConfig {
  text: string;
  filename: string;
  /** False for a bring-your-own-key device whose private key this browser does not hold: the text is a template. */
  complete: boolean;
}

/**
 * The one entry point for a device's config, the page's "Download .conf" link
 * as well as its QR code: the public route, which authorizes its owner.
 */
export const configHref = (peerId: string) => `/api/vpn/peers/${encodeURIComponent(peerId)}/config`;

const HAS_PRIVATE_KEY = /^\s*PrivateKey\s*=/im;

async function failure(res: Response): Promise<string> {
  if (res.status === 404) return "This device could not be found.";
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === "string") return body.error.message;
  } catch {
    // Not the API's JSON error: fall through to the generic message.
  }
  return "The configuration could not be loaded.";
}

/**
 * Fetches the device's config (only when the user asks for it: the page
 * never embeds private keys up front). The server's text for a
 * bring-your-own-key device has no PrivateKey line; this browser's key, if it
 * holds one, is added here, locally: the key never goes to the server.
 */
export async function loadDeviceConfig(peerId: string, privateKey: string | null): Promise<LoadedConfig> {
  const res = await fetch(configHref(peerId), { credentials: "same-origin", cache: "no-store" });
  if (!res.ok) throw new Error(await failure(res));
  const text = await res.text();
  const filename = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "wg0.conf";
  if (HAS_PRIVATE_KEY.test(text)) return { text, filename, complete: true };
  if (privateKey) return { text: withPrivateKey(text, privateKey), filename, complete: true };
  return { text, filename, complete: false };
}
