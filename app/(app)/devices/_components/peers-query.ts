"use client";

import { useInfiniteQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo } from "react";
import type { PeerDto, PeerPage } from "@/lib/services/peer-dto";
import { unpackPeerPage, type PackedPeerPage } from "./peer-pack";

export const PEERS_QUERY_KEY = ["vpn", "peers"] as const;
export const POLL_INTERVAL_MS = 15_000;
/** Devices per page of the list, as the API's default. */
export const PEERS_PAGE_SIZE = 50;

/** One page of the caller's devices from the JSON API, with the session cookie (same origin). */
export async function fetchPeerPage(cursor: string | null): Promise<PeerPage> {
  const qs = new URLSearchParams({ limit: String(PEERS_PAGE_SIZE) });
  if (cursor) qs.set("cursor", cursor);
  const res = await fetch(`/api/vpn/peers?${qs}`, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  if (!res.ok) throw new Error(`Device list request failed (${res.status})`);
  const body = (await res.json()) as Partial<PeerPage>;
  if (!Array.isArray(body.items)) throw new Error("Unexpected device list response");
  return body as PeerPage;
}

/**
 * The device list's data, in one place: the query cache, seeded by the
 * server render with the first page and grown a page at a time. The list
 * polls it (every loaded page again) while the tab is visible; the
 * allowance reads the counts of its first page. A newer server render
 * (coming back to the page) wins over an older cache.
 */
export function usePeers(packed: PackedPeerPage, renderedAt: number, poll = false) {
  const client = useQueryClient();
  const initialPage = useMemo(() => unpackPeerPage(packed), [packed]);
  const query = useInfiniteQuery({
    queryKey: PEERS_QUERY_KEY,
    queryFn: ({ pageParam }) => fetchPeerPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [initialPage], pageParams: [null] },
    initialDataUpdatedAt: renderedAt,
    refetchInterval: poll ? POLL_INTERVAL_MS : false,
    staleTime: 5_000,
  });
  useEffect(() => {
    const state = client.getQueryState(PEERS_QUERY_KEY);
    if (!state || state.dataUpdatedAt < renderedAt) {
      client.setQueryData<InfiniteData<PeerPage, string | null>>(PEERS_QUERY_KEY, { pages: [initialPage], pageParams: [null] }, { updatedAt: renderedAt });
    }
  }, [client, initialPage, renderedAt]);
  const pages = query.data.pages;
  const peers: PeerDto[] = pages.flatMap((p) => p.items);
  return { ...query, peers, activeCount: pages[0]?.activeCount ?? 0, revokedCount: pages[0]?.revokedCount ?? 0 };
}

/** After each action of the devices page: fetch the list now instead of waiting for the next poll. */
export function useRefreshPeers() {
  const client = useQueryClient();
  return useCallback(() => void client.invalidateQueries({ queryKey: PEERS_QUERY_KEY }), [client]);
}
