import type { PeerDto } from "@/lib/services/peer-dto";
import { cn } from "@/components/ui/cn";

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

const PATHS: Record<"phone" | "laptop" | "terminal" | "router", string> = {
  phone: "M8 2.75h8A1.25 1.25 0 0 1 17.25 4v16A1.25 1.25 0 0 1 16 21.25H8A1.25 1.25 0 0 1 6.75 20V4A1.25 1.25 0 0 1 8 2.75ZM11 18h2",
  laptop: "M5 5.75h14A1.25 1.25 0 0 1 20.25 7v8.25H3.75V7A1.25 1.25 0 0 1 5 5.75ZM2 18.25h20",
  terminal: "M4 4.75h16A1.25 1.25 0 0 1 21.25 6v12A1.25 1.25 0 0 1 20 19.25H4A1.25 1.25 0 0 1 2.75 18V6A1.25 1.25 0 0 1 4 4.75ZM7 9.5l3 2.5-3 2.5M12.5 15h4.5",
  router: "M4 13.75h16A1.25 1.25 0 0 1 21.25 15v3A1.25 1.25 0 0 1 20 19.25H4A1.25 1.25 0 0 1 2.75 18v-3A1.25 1.25 0 0 1 4 13.75ZM7 16.5h.01M12 13.5V8M8.5 7a5 5 0 0 1 7 0M6 4.5a8.5 8.5 0 0 1 12 0",
};

const SHAPE: Record<DeviceType, keyof typeof PATHS> = {
  ios: "phone",
  android: "phone",
  windows: "laptop",
  macos: "laptop",
  linux: "terminal",
  other: "router",
};

/** A decorative outline icon for the device type; the type's name is always written next to it. */
export function DeviceTypeIcon({ type, className }: { type: DeviceType; className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className={cn("size-6 shrink-0", className)}
    >
      <path d={PATHS[SHAPE[type]]} />
    </svg>
  );
}
