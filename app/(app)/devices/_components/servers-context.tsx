"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { ServerDto } from "@/lib/dal/servers";

const ServersContext = createContext<ServerDto[]>([]);

/** The servers a device may be added to or moved to, for the dialogs deep in the list. */
export function ServersProvider({ servers, children }: { servers: ServerDto[]; children: ReactNode }) {
  return <ServersContext.Provider value={servers}>{children}</ServersContext.Provider>;
}

export function useServers(): ServerDto[] {
  return useContext(ServersContext);
}
