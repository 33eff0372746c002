"use client";

import { QRCodeSVG } from "qrcode.react";
import { useEffect, useId, useState } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ShareLinkDto } from "@/lib/services/share-links";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { controlClasses } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { shareDeviceAction } from "../actions";

type LinkState = { status: "loading" } | { status: "ready"; link: ShareLinkDto } | { status: "error"; message: string };

/** Milliseconds until `expiresAt`, ticking every second while mounted. */
function useRemaining(expiresAt: string): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, new Date(expiresAt).getTime() - now);
}

const mmss = (ms: number) => {
  const s = Math.ceil(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

function LinkView({ link, onRenew }: { link: ShareLinkDto; onRenew: () => void }) {
  const remaining = useRemaining(link.expiresAt);
  const inputId = useId();
  if (remaining === 0) {
    return (
      <div className="space-y-4">
        <Alert tone="warning" title="This link has expired">
          Links work for 15 minutes. Create a new one to send the configuration.
        </Alert>
        <Button onClick={onRenew} data-autofocus>
          Create a new link
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <div className="mx-auto w-fit rounded-md bg-white leading-none shadow-sm ring-1 ring-slate-200 dark:ring-slate-700" data-testid="share-link-qr">
        <QRCodeSVG value={link.url} level="M" marginSize={4} size={240} bgColor="#ffffff" fgColor="#000000" title="QR code of the one-time link" className="block h-auto max-w-full" />
      </div>
      <p className="text-center text-sm text-slate-600 dark:text-slate-400">Point your phone&apos;s camera at this code, or send yourself the link.</p>
      <div className="space-y-1">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
          One-time link
        </label>
        <div className="flex gap-2">
          <input id={inputId} readOnly value={link.url} className={`${controlClasses} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} data-testid="share-link-url" />
          <CopyButton text={link.url} selectId={inputId} ariaLabel="Copy the link" />
        </div>
      </div>
      <p className="text-sm" data-testid="share-link-countdown">
        Works once. Expires in <span className="font-medium tabular-nums" aria-hidden="true">{mmss(remaining)}</span>
        <span className="sr-only">{Math.ceil(remaining / 60_000)} minutes</span>.
      </p>
    </div>
  );
}

/**
 * "Send to my phone": a one-time link (15 minutes, one use) to this device's
 * configuration, shown as text and as a QR code for the phone's camera. The
 * link opens a page that reveals the config once, without signing in.
 */
export function SendToPhoneButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<LinkState>({ status: "loading" });

  async function createLink() {
    setState({ status: "loading" });
    const result = await shareDeviceAction(peer.id);
    setState(result.ok ? { status: "ready", link: result.data } : { status: "error", message: result.formError ?? "The link could not be created." });
  }

  function start() {
    setOpen(true);
    void createLink();
  }

  return (
    <>
      <button
        type="button"
        className={buttonClasses("secondary", "sm")}
        aria-haspopup="dialog"
        aria-describedby={describedBy}
        disabled={!hydrated}
        onClick={start}
      >
        Send to my phone
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={`Send “${peer.deviceName}” to your phone`}
        description="The link opens a page where you reveal this device's configuration once, without signing in. Anyone with the link can use it: send it only to yourself."
      >
        {state.status === "loading" ? <Spinner label="Creating the link" className="text-sm text-slate-600 dark:text-slate-400" /> : null}
        {state.status === "error" ? <Alert tone="error">{state.message}</Alert> : null}
        {state.status === "ready" ? <LinkView key={state.link.url} link={state.link} onRenew={() => void createLink()} /> : null}
      </Modal>
    </>
  );
}
