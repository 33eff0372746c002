"use client";

import { useEffect, useRef, useState } from "react";
import type { ServerDto } from "@/lib/dal/servers";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { ConfigDownload, ConfigPanel, ConfigText } from "./config-panel";
import { AddDeviceForm, type Created } from "./add-device-form";
import { configHref } from "./device-config";

/**
 * The "Add device" button of the page header and its dialog: the form, then the new device's configuration.
 * With `disabledReason` (the plan's device limit is reached) the button is disabled and described by the
 * element `reasonId`, which says why; the dialog already open offers no "Add another device".
 */
export function AddDeviceButton({ servers, disabledReason = null, reasonId }: { servers: ServerDto[]; disabledReason?: string | null; reasonId?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  // A new form for every opening (and for "Add another device").
  const [round, setRound] = useState(0);

  function close() {
    setOpen(false);
    setCreated(null);
    setRound((r) => r + 1);
  }

  return (
    <>
      <Button
        variant="primary"
        aria-haspopup="dialog"
        disabled={!hydrated || !!disabledReason}
        aria-describedby={disabledReason ? reasonId : undefined}
        data-testid="add-device"
        onClick={() => setOpen(true)}
      >
        <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round">
          <path d="M10 4v12M4 10h12" />
        </svg>
        Add device
      </Button>
      <Modal
        open={open}
        onClose={close}
        size="lg"
        title={created ? `“${created.peer.deviceName}” is ready` : "Add a device"}
        description={created ? undefined : "One device is one phone, computer or router with its own key and addresses."}
      >
        {created ? (
          <CreatedView
            created={created}
            canAddAnother={!disabledReason}
            onAnother={() => {
              setCreated(null);
              setRound((r) => r + 1);
            }}
            onDone={close}
          />
        ) : (
          <AddDeviceForm key={round} servers={servers} onCreated={setCreated} onCancel={close} />
        )}
      </Modal>
    </>
  );
}

function CreatedView({ created, canAddAnother, onAnother, onDone }: { created: Created; canAddAnother: boolean; onAnother: () => void; onDone: () => void }) {
  const { peer, keyMode, keySaved, config, configError } = created;
  const ref = useRef<HTMLDivElement>(null);
  // The form (and the focused button) is gone: move focus to the outcome.
  useEffect(() => ref.current?.focus(), []);

  return (
    <div ref={ref} tabIndex={-1} className="space-y-4 focus:outline-none" data-testid="device-created">
      <ol className="list-inside list-decimal space-y-1 text-sm text-slate-700 dark:text-slate-300">
        <li>Open the WireGuard app on the device.</li>
        <li>
          {keyMode === "pasted"
            ? "Add these settings to the tunnel whose public key you pasted."
            : "Scan the QR code (Add a tunnel → Create from QR code), or download the file on the device and import it."}
        </li>
        <li>Turn the tunnel on. The status here changes to Online within a minute.</li>
      </ol>

      {keyMode === "browser" && keySaved ? (
        <Alert tone="info" title="The private key stays in this browser">
          It was made here and never sent to SecureWave. It is stored in this browser (local storage), so this browser can show the QR code
          and the file again; other browsers cannot. Clearing this site&apos;s data removes it.
        </Alert>
      ) : null}
      {keyMode === "browser" && keySaved === false ? (
        <Alert tone="warning" title="The private key could not be stored">
          This browser refused to store it (private mode or full storage). Scan or download the configuration now: it cannot be shown again.
        </Alert>
      ) : null}
      {configError ? <Alert tone="error">{configError}</Alert> : null}

      {config && config.complete ? (
        <ConfigPanel
          text={config.text}
          deviceName={peer.deviceName}
          download={keyMode === "server" ? { href: configHref(peer.id) } : { text: config.text, filename: config.filename }}
        />
      ) : null}
      {config && !config.complete ? (
        <div className="space-y-3">
          <p className="text-sm">
            Your WireGuard app holds the private key, so there is no QR code: enter the Address, DNS and [Peer] settings below in the tunnel
            you created there.
          </p>
          <ConfigText text={config.text} summary="Settings for your WireGuard app" open />
          <ConfigDownload source={{ text: config.text, filename: config.filename }} label="Download template (no private key)" />
        </div>
      ) : null}

      <div className="flex flex-wrap justify-end gap-2">
        {canAddAnother ? (
          <Button variant="secondary" onClick={onAnother}>
            Add another device
          </Button>
        ) : null}
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
