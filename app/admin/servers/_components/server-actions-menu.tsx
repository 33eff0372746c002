"use client";

import { useCallback, useEffect, useId, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { cn } from "@/components/ui/cn";
import { EditServerModal, type EditableServer } from "./edit-server-dialog";
import { RotateTokenModal } from "./rotate-token-dialog";
import { DeleteServerModal } from "./delete-server-dialog";

type Choice = "edit" | "connect" | "rotate" | "delete";

const MENU_WIDTH = 224;

interface Item {
  id: Choice | "open";
  label: string;
  danger?: boolean;
}

/**
 * One button per server row that opens a menu (the WAI-ARIA menu button:
 * Enter, Space or ↓ opens it on the first item, ↑/↓/Home/End move, Escape
 * closes it back on the button, Tab leaves it). Editing opens its form;
 * rotating the agent token and deleting ask for confirmation in a dialog
 * first. `connect` (the agent install commands) is offered while no agent has
 * reported; `detailsHref` adds "View details" (the list links each server).
 */
export function ServerActionsMenu({
  server,
  activePeers,
  detailsHref,
  connect,
  leaveToAfterDelete,
}: {
  server: EditableServer;
  activePeers: number;
  detailsHref?: string;
  /** The agent install instructions, rendered by the server page. */
  connect?: ReactNode;
  leaveToAfterDelete?: string;
}) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [position, setPosition] = useState<CSSProperties>({});
  const [choice, setChoice] = useState<Choice | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const items: Item[] = [
    ...(detailsHref ? [{ id: "open" as const, label: "View details" }] : []),
    { id: "edit", label: "Edit" },
    ...(connect ? [{ id: "connect" as const, label: "Connect its agent" }] : []),
    { id: "rotate", label: "Rotate agent token…", danger: true },
    { id: "delete", label: "Delete server…", danger: true },
  ];
  const count = items.length;

  const focusItem = (i: number) => {
    const all = menuRef.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]");
    if (!all?.length) return;
    all[(i + all.length) % all.length]!.focus();
  };
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  // Fixed to the viewport under (or above) the button, so a scrolling table around it never clips it; it follows the button when the page scrolls.
  const place = useCallback(() => {
    const r = buttonRef.current?.getBoundingClientRect();
    if (!r) return;
    const left = Math.max(8, Math.min(r.right - MENU_WIDTH, window.innerWidth - MENU_WIDTH - 8));
    const below = window.innerHeight - r.bottom > count * 40 + 16;
    setPosition(below ? { left, top: r.bottom + 4, width: MENU_WIDTH } : { left, bottom: window.innerHeight - r.top + 4, width: MENU_WIDTH });
  }, [count]);

  function openMenu() {
    place();
    setOpen(true);
  }

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) close(false);
    };
    document.addEventListener("pointerdown", onPointer);
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [open, close, place]);

  function choose(id: Item["id"]) {
    // The dialog returns focus to the menu button when it closes.
    close(true);
    if (id === "open") router.push(detailsHref!);
    else setChoice(id);
  }

  function onButtonKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      openMenu();
    }
  }

  function onMenuKey(e: KeyboardEvent) {
    const all = Array.from(menuRef.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]") ?? []);
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === "ArrowDown") focusItem(at + 1);
    else if (e.key === "ArrowUp") focusItem(at - 1);
    else if (e.key === "Home") focusItem(0);
    else if (e.key === "End") focusItem(all.length - 1);
    else if (e.key === "Escape") close(true);
    else if (e.key === "Tab") return close(false);
    else return;
    e.preventDefault();
  }

  const done = useCallback(() => setChoice(null), []);

  return (
    <div className="relative inline-block">
      <Button
        ref={buttonRef}
        variant="secondary"
        size="sm"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={`Actions for ${server.name}`}
        disabled={!hydrated}
        onClick={() => (open ? close(false) : openMenu())}
        onKeyDown={onButtonKey}
        data-testid="server-actions"
      >
        Actions
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4Z" />
        </svg>
      </Button>
      {open ? (
        <ul
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={`Actions for ${server.name}`}
          onKeyDown={onMenuKey}
          style={position}
          className="fixed z-30 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {items.map((item) => (
            <li key={item.id} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                onClick={() => choose(item.id)}
                className={cn(
                  "block w-full px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800",
                  item.danger ? "text-red-700 dark:text-red-400" : "text-slate-900 dark:text-slate-100",
                )}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <EditServerModal server={server} open={choice === "edit"} onClose={done} />
      <RotateTokenModal serverId={server.id} name={server.name} open={choice === "rotate"} onClose={done} />
      <DeleteServerModal serverId={server.id} name={server.name} activePeers={activePeers} open={choice === "delete"} onClose={done} leaveTo={leaveToAfterDelete} />
      {connect ? (
        <Modal open={choice === "connect"} onClose={done} title="Connect its agent" description={server.name} size="lg">
          {connect}
        </Modal>
      ) : null}
    </div>
  );
}
