"use client";

import { createContext, useContext, useEffect, useSyncExternalStore, type ReactNode } from "react";
import { TIME_ZONE_COOKIE } from "@/lib/format/time-zone";

const TimeZoneContext = createContext<string>("UTC");

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * The reader's time zone for every date on the page. The server renders with
 * the zone the browser reported last time (UTC on a first visit); once
 * hydrated, the zone the browser really is in takes over and is remembered
 * for the next server render.
 */
export function TimeZoneProvider({ initial, children }: { initial: string; children: ReactNode }) {
  const zone = useSyncExternalStore(noSubscription, browserZone, () => initial);
  useEffect(() => {
    if (zone !== initial) document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
  }, [zone, initial]);
  return <TimeZoneContext.Provider value={zone}>{children}</TimeZoneContext.Provider>;
}

export const useTimeZone = () => useContext(TimeZoneContext);
