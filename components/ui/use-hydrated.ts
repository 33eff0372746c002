"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server render and during hydration, true after. Buttons that
 * only work with JavaScript (they open dialogs) stay disabled until then, so
 * an early click — a fast user, or a browser test — is not silently lost.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
