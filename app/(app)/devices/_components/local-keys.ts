"use client";

// Private keys of bring-your-own-key devices live only in the browser that
// generated them (localStorage, `securewave:pk:<peerId>`), so this browser can
// rebuild the config and QR code; the server never sees them.
import { useSyncExternalStore } from "react";
import { isWireGuardKeyBrowser, publicKeyFromPrivateBrowser } from "@/lib/wireguard/keys-browser";

const PREFIX = "securewave:pk:";
const CHANGED = "securewave:pk-changed";

export const localKeyName = (peerId: string) => `${PREFIX}${peerId}`;

/** The stored private key, or null (none, unreadable storage, or not a WireGuard key). */
export function readLocalKey(peerId: string): string | null {
  try {
    const value = window.localStorage.getItem(localKeyName(peerId));
    return isWireGuardKeyBrowser(value) ? value : null;
  } catch {
    return null;
  }
}

/** Saves the key; false when storage is unavailable (private mode, quota), so the UI can say it was not kept. */
export function saveLocalKey(peerId: string, privateKey: string): boolean {
  try {
    window.localStorage.setItem(localKeyName(peerId), privateKey);
    window.dispatchEvent(new Event(CHANGED));
    return true;
  } catch {
    return false;
  }
}

export function removeLocalKey(peerId: string): void {
  try {
    window.localStorage.removeItem(localKeyName(peerId));
    window.dispatchEvent(new Event(CHANGED));
  } catch {
    // Storage unavailable: nothing was stored either.
  }
}

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

/**
 * This browser's private key for the device, when it matches the device's
 * current public key (a rotation made elsewhere makes a stored key stale).
 * Null during the server render and hydration.
 */
export function useLocalKey(peerId: string, publicKey: string): string | null {
  const stored = useSyncExternalStore(
    subscribe,
    () => readLocalKey(peerId),
    () => null,
  );
  if (!stored) return null;
  try {
    return publicKeyFromPrivateBrowser(stored) === publicKey ? stored : null;
  } catch {
    return null;
  }
}

/**
 * Inserts `PrivateKey = …` as the first line after `[Interface]` of a config
 * template (the server's text for a bring-your-own-key device has none).
 */
export function withPrivateKey(template: string, privateKey: string): string {
  if (!isWireGuardKeyBrowser(privateKey)) throw new Error("Not a WireGuard private key");
  const lines = template.split("\n").filter((l) => !/^\s*PrivateKey\s*=/i.test(l));
  const at = lines.findIndex((l) => l.trim() === "[Interface]");
  if (at === -1) throw new Error("The configuration has no [Interface] section");
  lines.splice(at + 1, 0, `PrivateKey = ${privateKey}`);
  return lines.join("\n");
}

/**
 * Saves text as a file from the browser (Blob + a temporary link). The link is
 * added next to `near` — inside an open modal dialog, since the rest of the
 * page is inert then.
 */
export function downloadText(text: string, filename: string, near?: Element | null): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  (near ?? document.body).appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
