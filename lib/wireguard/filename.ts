// Linux interface names are at most 15 bytes (IFNAMSIZ 16 with the NUL), and
// wg-quick derives the interface name from the config file name, refusing
// anything outside [a-zA-Z0-9_=+.-]. A download named after the device must
// therefore be sanitised or the WireGuard apps/wg-quick will reject it.

const MAX_INTERFACE_NAME = 15;
const FALLBACK = "wg0";

export function interfaceName(deviceName: string): string {
  const name = (deviceName ?? "")
    // Decompose so "café" keeps its "e" instead of becoming "caf-".
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-zA-Z0-9_=+.-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, MAX_INTERFACE_NAME)
    // Truncation can expose a trailing separator again.
    .replace(/[-.]+$/g, "");
  // "." / ".." are not valid names either; the trim above already removes them.
  return name === "" ? FALLBACK : name;
}

export function configFileName(deviceName: string): string {
  return `${interfaceName(deviceName)}.conf`;
}
