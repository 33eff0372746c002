"use client";

import type { MessageDto } from "@/lib/dal/ticket-dto";
import type { TicketLiveDto } from "@/lib/dal/ticket-live";

/** While the page is visible, how often it asks whether anything changed (an empty 304 when nothing did). */
export const LIVE_POLL_MS = 1_500;

export type TicketLive = TicketLiveDto;

/** How every live query polls: while visible only, at once when the tab comes back or the network returns. */
export const LIVE_QUERY_OPTIONS = {
  refetchInterval: LIVE_POLL_MS,
  refetchIntervalInBackground: false,
  refetchOnWindowFocus: "always",
  refetchOnReconnect: "always",
  staleTime: 0,
  retry: false,
} as const;

/**
 * A GET that remembers the last answer and its ETag per URL: a 304 answers
 * the same object again, so React Query sees no change and nothing renders.
 */
export function conditionalFetcher<T>() {
  const last = new Map<string, { etag: string; data: T }>();
  return async (url: string): Promise<T> => {
    const prev = last.get(url);
    const res = await fetch(url, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { accept: "application/json", ...(prev ? { "if-none-match": prev.etag } : {}) },
    });
    if (res.status === 304 && prev) return prev.data;
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const data = (await res.json()) as T;
    const etag = res.headers.get("etag");
    if (etag) last.set(url, { etag, data });
    return data;
  };
}

const base = (ticketId: string) => `/api/support/tickets/${encodeURIComponent(ticketId)}`;
export const liveUrl = (ticketId: string) => `${base(ticketId)}/live`;
export const presenceUrl = (ticketId: string) => `${base(ticketId)}/presence`;

/** Every message after `afterId` (all of them without one), following the pages to the end. */
export async function fetchMessagesAfter(ticketId: string, afterId: string | null): Promise<MessageDto[]> {
  const out: MessageDto[] = [];
  let query = afterId ? `after=${encodeURIComponent(afterId)}` : "";
  for (;;) {
    const res = await fetch(`${base(ticketId)}/messages?limit=200${query ? `&${query}` : ""}`, { credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`messages answered ${res.status}`);
    const page = (await res.json()) as { items: MessageDto[]; nextCursor: string | null };
    out.push(...page.items);
    if (!page.nextCursor) return out;
    query = `cursor=${encodeURIComponent(page.nextCursor)}`;
  }
}

/** The union of two lists by id, oldest first, the newer copy of a message winning. */
export function mergeMessages(a: MessageDto[], b: MessageDto[]): MessageDto[] {
  const byId = new Map<string, MessageDto>();
  for (const m of a) byId.set(m.id, m);
  for (const m of b) byId.set(m.id, m);
  return [...byId.values()].sort((x, y) => (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
