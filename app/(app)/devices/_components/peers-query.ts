"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";

export const PEERS_QUERY_KEY = ["vpn", "peers"] as const;
export const POLL_INTERVAL_MS = 15_000;

/** The caller's devices from the JSON API, with the session cookie (same origin). */
export async function fetchPeers(): Promise<PeerDto[]> {
  const res = await fetch("/api/vpn/peers", {
    credentials: "same-origin",
    cache: "no-store",
    headers: { accept: "application/json" },
  });
  if (!res.ok) throw new Error(`Device list request failed (${res.status})`);
  const body = (await res.json()) as { items?: unknown };
  if (!Array.isArray(body.items)) throw new Error("Unexpected device list response");
  return body.items as PeerDto[];
}

/** After each action of the devices page: fetch the list now instead of waiting for the next poll. */
export function useRefreshPeers() {
  const client = useQueryClient();
  return useCallback(() => void client.invalidateQueries({ queryKey: PEERS_QUERY_KEY }), [client]);
}
