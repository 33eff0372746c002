"use client";

import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/spinner";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { desktopPrimaryButton, phonePrimaryButton } from "./button-styles";
import { ConfigDownload, ConfigPanel, ConfigText } from "./config-panel";
import { downloadText, useLocalKey } from "./local-keys";
import { configHref, loadDeviceConfig, type LoadedConfig } from "./device-config";
import { useNotify } from "./notice";

/**
 * The device's configuration, fetched when this view opens and dropped from
 * memory when it closes (gcTime 0): the page never holds every device's
 * private key.
 */
function DeviceConfigView({ peer }: { peer: PeerDto }) {
  const localKey = useLocalKey(peer.id, peer.publicKey);
  const { data, error, isPending } = useQuery({
    queryKey: ["vpn", "peer-config", peer.id, peer.publicKey, localKey !== null],
    queryFn: () => loadDeviceConfig(peer.id, localKey),
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  if (isPending) return <Spinner label="Loading the configuration" className="text-sm text-slate-600 dark:text-slate-400" />;
  if (error) return <Alert tone="error">{error.message}</Alert>;
  if (!data.complete) return <MissingKey config={data} />;
  return (
    <ConfigPanel
      text={data.text}
      deviceName={peer.deviceName}
      download={peer.bringYourOwnKey ? { text: data.text, filename: data.filename } : { href: configHref(peer.id) }}
    >
      {peer.bringYourOwnKey ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Built in this browser with the private key stored here: SecureWave never had it. Other browsers cannot show this code.
        </p>
      ) : null}
    </ConfigPanel>
  );
}

/** A bring-your-own-key device whose private key this browser does not hold. */
function MissingKey({ config }: { config: LoadedConfig }) {
  return (
    <div className="space-y-4">
      <Alert tone="info" title="The private key is not in this browser">
        <p>
          This device keeps its private key outside SecureWave: in the browser that created it, or in your WireGuard app if you pasted its
          public key. The QR code and the complete file are only available there.
        </p>
        <p className="mt-2">
          To set the device up from this browser instead, rotate its keys: this browser will then make a new key pair and keep the private
          key.
        </p>
      </Alert>
      <ConfigText text={config.text} summary="Show the settings without the private key" />
      <ConfigDownload source={{ text: config.text, filename: config.filename }} label="Download template (no private key)" />
    </div>
  );
}

export function ShowQrButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={desktopPrimaryButton()} aria-haspopup="dialog" aria-describedby={describedBy} disabled={!hydrated} onClick={() => setOpen(true)}>
        Show QR code
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={`QR code for “${peer.deviceName}”`}
        description="Scan it with the WireGuard app on the device. Anyone who sees this code can use this device's connection: keep it private."
      >
        <DeviceConfigView peer={peer} />
      </Modal>
    </>
  );
}

/**
 * "Download .conf" for a bring-your-own-key device: the file is assembled in
 * this browser from the template and the locally stored private key; without
 * that key it explains where the file can be had.
 */
export function ByokDownloadButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const localKey = useLocalKey(peer.id, peer.publicKey);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLButtonElement>(null);
  const notify = useNotify();

  async function download() {
    if (!localKey) {
      setOpen(true);
      return;
    }
    setBusy(true);
    try {
      const config = await loadDeviceConfig(peer.id, localKey);
      downloadText(config.text, config.filename, ref.current?.parentElement);
    } catch (err) {
      notify("error", err instanceof Error ? err.message : "The configuration could not be loaded.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        ref={ref}
        type="button"
        className={phonePrimaryButton()}
        aria-describedby={describedBy}
        aria-haspopup={localKey ? undefined : "dialog"}
        disabled={busy || !hydrated}
        onClick={download}
      >
        {busy ? <Spinner label="Preparing the file" /> : null}
        Download .conf
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Download for “${peer.deviceName}”`}>
        <DeviceConfigView peer={peer} />
      </Modal>
    </>
  );
}
