"use client";

import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type Notice = { id: number; tone: "success" | "error"; text: string };
const NoticeContext = createContext<(tone: Notice["tone"], text: string) => void>(() => {});

/** Lets a device's action report its outcome above the list after its dialog has closed (and its row moved or vanished). */
export function useNotify() {
  return useContext(NoticeContext);
}

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const notify = useCallback((tone: Notice["tone"], text: string) => setNotice({ id: Date.now(), tone, text }), []);
  return (
    <NoticeContext.Provider value={notify}>
      {notice ? (
        <Alert key={notice.id} tone={notice.tone} className="mb-4">
          <span className="flex items-start justify-between gap-3">
            <span data-testid="device-notice">{notice.text}</span>
            <Button variant="ghost" size="sm" className="-my-1 shrink-0" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          </span>
        </Alert>
      ) : null}
      {children}
    </NoticeContext.Provider>
  );
}
