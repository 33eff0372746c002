import type { PeerDto, PeerPage } from "@/lib/services/peer-dto";

/**
 * The first page of devices as the server render hands it to the browser:
 * columns instead of one object per device, so each field's name is written
 * once per page rather than once per device (the device page stays small
 * with 50 devices). Lossless: unpacking gives back equal objects.
 */
export type PackedPeerPage = Omit<PeerPage, "items"> & { keys: (keyof PeerDto)[]; rows: unknown[][] };

export function packPeerPage({ items, ...rest }: PeerPage): PackedPeerPage {
  const keys = (items[0] ? Object.keys(items[0]) : []) as (keyof PeerDto)[];
  return { ...rest, keys, rows: items.map((item) => keys.map((k) => item[k])) };
}

export function unpackPeerPage({ keys, rows, ...rest }: PackedPeerPage): PeerPage {
  return { ...rest, items: rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i]])) as unknown as PeerDto) };
}
