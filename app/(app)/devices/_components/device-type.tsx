import type { PeerDto } from "@/lib/services/peer-dto";

export type DeviceType = PeerDto["deviceType"];

/** Labels for the device types of db/schema/vpn.ts; the Record type keeps the two lists in step. */
export const DEVICE_TYPE_LABELS: Record<DeviceType, string> = {
  ios: "iPhone or iPad (iOS)",
  android: "Android",
  windows: "Windows",
  macos: "macOS",
  linux: "Linux",
  other: "Other (router, …)",
};

/** The short name shown in the device list. */
export const DEVICE_TYPE_NAMES: Record<DeviceType, string> = {
  ios: "iOS",
  android: "Android",
  windows: "Windows",
  macos: "macOS",
  linux: "Linux",
  other: "Other",
};

export const DEVICE_TYPES = Object.keys(DEVICE_TYPE_LABELS) as DeviceType[];

/** A best guess of the device the page is opened on, to preselect the type. Client-only (reads navigator). */
export function guessDeviceType(userAgent: string): DeviceType {
  const ua = userAgent.toLowerCase();
  if (/iphone|ipad|ipod/.test(ua)) return "ios";
  if (ua.includes("android")) return "android";
  if (ua.includes("windows")) return "windows";
  if (ua.includes("mac os") || ua.includes("macintosh")) return "macos";
  if (ua.includes("linux") || ua.includes("x11")) return "linux";
  return "other";
}

/** The outline each type is drawn with (`.device-icon.<shape>` in app/globals.css). */
const SHAPE: Record<DeviceType, "phone" | "laptop" | "terminal" | "router"> = {
  ios: "phone",
  android: "phone",
  windows: "laptop",
  macos: "laptop",
  linux: "terminal",
  other: "router",
};

/** A decorative outline icon for the device type; the type's name is always written next to it. */
export function DeviceTypeIcon({ type }: { type: DeviceType }) {
  return <span aria-hidden="true" className={`device-icon ${SHAPE[type]}`} />;
}
