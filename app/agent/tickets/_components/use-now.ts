"use client";

import { useSyncExternalStore } from "react";

/*
 * One shared one-second ticker for every countdown on the page (a queue
 * page shows fifty): a single interval, started by the first subscriber and
 * stopped with the last one.
 */
let current: number | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function tick() {
  current = Date.now();
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(tick, 1000);
    queueMicrotask(tick);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
      current = null;
    }
  };
}

/** Now, in ms, ticking every second; `initial` (the server's render time) until the first tick, so hydration matches. */
export function useNow(initial: number): number {
  return useSyncExternalStore(
    subscribe,
    () => current ?? initial,
    () => initial,
  );
}
