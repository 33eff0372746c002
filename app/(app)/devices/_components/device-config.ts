"use client";

import { withPrivateKey } from "@/components/devices/local-keys";
import { getDeviceConfigAction } from "../actions";

export interface LoadedConfig {
  text: string;
  filename: string;
  bringYourOwnKey: boolean;
  /** False for a bring-your-own-key device whose private key this browser does not hold: the text is a template. */
  complete: boolean;
}

/**
 * Fetches the device's config through the server action (only when the user
 * asks for it) and, for a bring-your-own-key device, adds this browser's
 * private key — locally: the key never goes to the server.
 */
export async function loadDeviceConfig(peerId: string, privateKey: string | null): Promise<LoadedConfig> {
  const res = await getDeviceConfigAction(peerId);
  if (!res.ok) throw new Error(res.formError ?? "The configuration could not be loaded.");
  const { text, filename, bringYourOwnKey } = res.data;
  if (!bringYourOwnKey) return { text, filename, bringYourOwnKey, complete: true };
  if (privateKey) return { text: withPrivateKey(text, privateKey), filename, bringYourOwnKey, complete: true };
  return { text, filename, bringYourOwnKey, complete: false };
}
