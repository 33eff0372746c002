"use client";

import { useEffect, useMemo, useRef, type ComponentProps } from "react";
import { Conversation } from "./conversation";
import { useLiveTicket } from "./live-ticket";

const inView = (el: Element) => {
  const r = el.getBoundingClientRect();
  return r.top < window.innerHeight && r.bottom >= 0;
};

/**
 * The conversation as it stands now (LiveTicket's list). A reply from
 * someone else that lands below what the reader can see raises a "new
 * reply" button at the bottom of the screen that jumps to it; it goes once
 * the end of the conversation has been on screen.
 */
export function LiveConversation(props: ComponentProps<typeof Conversation>) {
  const live = useLiveTicket();
  const end = useRef<HTMLDivElement>(null);
  const unseen = useMemo(() => live?.unseen ?? [], [live?.unseen]);
  const markSeen = live?.markSeen;

  useEffect(() => {
    const el = end.current;
    if (!el || !markSeen) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) markSeen();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [markSeen]);

  // Already at the end when it arrived (and still, after it was drawn): the reader sees it.
  useEffect(() => {
    if (unseen.length && end.current && inView(end.current)) markSeen?.();
  }, [unseen, markSeen]);

  const jump = () => {
    const first = unseen[0] ? document.getElementById(`message-${unseen[0]}`) : null;
    first?.scrollIntoView({ behavior: "smooth", block: "start" });
    first?.focus({ preventScroll: true });
  };

  return (
    <div>
      <Conversation {...props} messages={live?.messages ?? props.messages} unseen={unseen} />
      <div ref={end} data-testid="conversation-end" aria-hidden="true" className="h-px" />
      <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-20 flex justify-center px-4">
        {unseen.length ? (
          <button
            type="button"
            onClick={jump}
            data-testid="new-reply-marker"
            className="pointer-events-auto rounded-full bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow-lg hover:bg-sky-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 dark:bg-sky-500 dark:text-slate-950"
          >
            ↓ {unseen.length === 1 ? "New reply" : `${unseen.length} new replies`}
          </button>
        ) : null}
      </div>
    </div>
  );
}
