"use client";

import { useEffect, useRef } from "react";
import { PRESENCE_HEARTBEAT_MS } from "@/lib/support/presence";
import { presenceUrl } from "./live-fetch";

function send(url: string, replying: boolean) {
  void fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ replying }),
  }).catch(() => {
    // The next beat says it again.
  });
}

/**
 * Staff: tells the other agents that this page is open on the ticket (a beat
 * every 10 s while the tab is visible, none while hidden, so a background
 * tab fades out after 30 s) and whether its composer is being typed in (sent
 * at once when that changes). Leaving the page says so straight away.
 */
export function usePresenceReporter(ticketId: string, staff: boolean, replying: boolean) {
  const replyingRef = useRef(replying);
  const url = presenceUrl(ticketId);

  useEffect(() => {
    if (!staff) return;
    let timer: ReturnType<typeof setInterval> | null = null;
    const beat = () => send(url, replyingRef.current);
    const start = () => {
      if (timer || document.visibilityState !== "visible") return;
      beat();
      timer = setInterval(beat, PRESENCE_HEARTBEAT_MS);
    };
    const stop = () => {
      if (timer) clearInterval(timer);
      timer = null;
    };
    const onVisibility = () => (document.visibilityState === "visible" ? start() : stop());
    const leave = () => void fetch(url, { method: "DELETE", credentials: "same-origin", keepalive: true }).catch(() => {});
    start();
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", leave);
    return () => {
      stop();
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [staff, url]);

  useEffect(() => {
    if (!staff || replyingRef.current === replying) return;
    replyingRef.current = replying;
    if (document.visibilityState === "visible") send(url, replying);
  }, [staff, replying, url]);
}
