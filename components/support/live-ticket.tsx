"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { MessageDto } from "@/lib/dal/ticket-dto";
import type { PresenceDto } from "@/lib/support/presence";
import { conditionalFetcher, fetchMessagesAfter, LIVE_QUERY_OPTIONS, liveUrl, mergeMessages, type TicketLive } from "./live-fetch";
import { usePresenceReporter } from "./presence-reporter";

/** What the server rendered the page with: a change of any of these re-renders it. */
export interface TicketShape {
  status: string;
  priority: string;
  assignedToId: string | null;
  tags: string[];
}

interface LiveContext {
  messages: MessageDto[];
  /** Messages that arrived while the page was open, from someone else, not yet scrolled to. */
  unseen: string[];
  markSeen: () => void;
  presence: PresenceDto[];
  /** Ask now instead of at the next poll (after this page sent something). */
  poke: () => void;
  /** The composer's state, for the presence heartbeat (staff). */
  setTyping: (typing: boolean) => void;
}

const Ctx = createContext<LiveContext | null>(null);
export const useLiveTicket = () => useContext(Ctx);

const shapeKey = (s: TicketShape) => JSON.stringify([s.status, s.priority, s.assignedToId, [...s.tags].sort()]);

/**
 * Keeps an open ticket page current without a reload, on every instance
 * behind a load balancer (nothing but the database is shared): while the
 * page is visible it asks the ticket's small live state every 1.5 s with
 * If-None-Match (an empty 304 when nothing changed), and at once when the
 * tab comes back. A new message is fetched with `?after=` the newest one it
 * has and merged by id, so nothing is shown twice; if the count still
 * differs (a message committed late, a tab that slept) the whole
 * conversation is fetched again, so nothing is lost. A change of status,
 * priority, tags or assignee re-renders the page's server parts.
 */
export function LiveTicket({
  ticketId,
  viewerId,
  staff,
  initialMessages,
  shape,
  children,
}: {
  ticketId: string;
  viewerId: string;
  staff: boolean;
  initialMessages: MessageDto[];
  shape: TicketShape;
  children: ReactNode;
}) {
  const router = useRouter();
  const client = useQueryClient();
  const [fetchLive] = useState(() => conditionalFetcher<TicketLive>());
  // What arrived since the server render; a newer render (router.refresh) brings its own list, and the two merge by id.
  const [arrived, setArrived] = useState<MessageDto[]>([]);
  const messages = useMemo(() => mergeMessages(initialMessages, arrived), [initialMessages, arrived]);
  const latest = useRef(messages);
  const [unseen, setUnseen] = useState<string[]>([]);
  const [typing, setTyping] = useState(false);
  const rendered = useRef(shapeKey(shape));
  const syncing = useRef<Promise<void> | null>(null);
  const queryKey = useMemo(() => ["support", "ticket-live", ticketId] as const, [ticketId]);

  useEffect(() => {
    latest.current = messages;
  }, [messages]);
  useEffect(() => {
    rendered.current = shapeKey(shape);
  }, [shape]);

  const { data, dataUpdatedAt } = useQuery({
    queryKey,
    queryFn: () => fetchLive(liveUrl(ticketId)),
    ...LIVE_QUERY_OPTIONS,
  });

  const sync = useCallback(
    (live: TicketLive) => {
      if (syncing.current) return;
      const known = new Set(latest.current.map((m) => m.id));
      const needed = (live.lastMessageId && !known.has(live.lastMessageId)) || live.messageCount > known.size;
      if (!needed) return;
      syncing.current = (async () => {
        let fresh = await fetchMessagesAfter(ticketId, latest.current.at(-1)?.id ?? null);
        const count = new Set([...known, ...fresh.map((m) => m.id)]).size;
        // Fewer than the server counts: one committed behind the newest we had. Fetch the whole conversation once.
        if (count < live.messageCount) fresh = await fetchMessagesAfter(ticketId, null);
        const added = fresh.filter((m) => !known.has(m.id));
        latest.current = mergeMessages(latest.current, fresh);
        setArrived((current) => mergeMessages(current, added));
        const replies = added.filter((m) => !m.isAutomated && m.userId !== viewerId).map((m) => m.id);
        if (replies.length) setUnseen((u) => [...u, ...replies]);
      })()
        .catch(() => {
          // The next poll tries again.
        })
        .finally(() => {
          syncing.current = null;
        });
    },
    [ticketId, viewerId],
  );

  // After every poll, a 304 included: a sync that failed or was busy last time is tried again.
  useEffect(() => {
    if (!data) return;
    sync(data);
    if (shapeKey(data) !== rendered.current) {
      rendered.current = shapeKey(data);
      router.refresh();
    }
  }, [data, dataUpdatedAt, sync, router]);

  usePresenceReporter(ticketId, staff, typing);

  const poke = useCallback(() => void client.invalidateQueries({ queryKey }), [client, queryKey]);
  const markSeen = useCallback(() => setUnseen((u) => (u.length ? [] : u)), []);
  const value = useMemo<LiveContext>(
    () => ({ messages, unseen, markSeen, presence: data?.presence ?? [], poke, setTyping }),
    [messages, unseen, markSeen, data?.presence, poke],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
