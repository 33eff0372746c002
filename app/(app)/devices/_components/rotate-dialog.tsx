"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ActionResult, ActionState } from "@/lib/actions/result";
import { fieldError } from "@/lib/actions/result";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { InputField } from "@/components/ui/field";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { generateKeyPairBrowser, isWireGuardKeyBrowser } from "@/lib/wireguard/keys-browser";
import { ConfigPanel, ConfigText, ConfigDownload } from "./config-panel";
import { removeLocalKey, saveLocalKey } from "./local-keys";
import { rotateDeviceAction } from "../actions";
import { configHref, loadDeviceConfig, type LoadedConfig } from "./device-config";
import { FormMessages } from "./form-messages";
import { useRefreshPeers } from "./peers-query";

type Rotated = { peer: PeerDto; config: LoadedConfig | null; configError: string | null; keySaved: boolean | null };

function RotateFlow({ peer, onCancel }: { peer: PeerDto; onCancel: () => void }) {
  const refresh = useRefreshPeers();

  async function rotate(_prev: ActionState<Rotated>, form: FormData): Promise<ActionResult<Rotated>> {
    let privateKey: string | null = null;
    if (peer.bringYourOwnKey) {
      const pasted = String(form.get("publicKey") ?? "").trim();
      if (pasted) {
        if (!isWireGuardKeyBrowser(pasted)) {
          return { ok: false, fieldErrors: { publicKey: ["Not a WireGuard public key (44 characters of base64 ending in “=”)"] } };
        }
        form.set("publicKey", pasted);
      } else {
        // Made here; only the public half is sent.
        const pair = generateKeyPairBrowser();
        privateKey = pair.privateKey;
        form.set("publicKey", pair.publicKey);
      }
    } else {
      form.delete("publicKey");
    }
    const result = await rotateDeviceAction(null, form);
    if (!result.ok) return result;
    let keySaved: boolean | null = null;
    if (privateKey) keySaved = saveLocalKey(peer.id, privateKey);
    else if (peer.bringYourOwnKey) removeLocalKey(peer.id); // the old key stored here no longer matches
    refresh();
    try {
      const config = await loadDeviceConfig(peer.id, privateKey);
      return { ok: true, data: { peer: result.data, config, configError: null, keySaved } };
    } catch (err) {
      const message = err instanceof Error ? err.message : "The new configuration could not be loaded.";
      return { ok: true, data: { peer: result.data, config: null, configError: message, keySaved } };
    }
  }

  const [state, formAction] = useActionState(rotate, null);

  if (state?.ok) return <RotatedView result={state.data} onDone={onCancel} />;

  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={peer.id} />
      {peer.bringYourOwnKey ? (
        <>
          <p className="text-sm">
            This browser will make a new key pair, send only the new public key, and keep the private key here (like when the device was
            added). Then scan or download the new configuration on the device.
          </p>
          <InputField
            label="New public key from your WireGuard app (optional)"
            name="publicKey"
            autoComplete="off"
            spellCheck={false}
            placeholder="44 characters ending in ="
            className="font-mono"
            hint="Leave empty to generate the key pair in this browser."
            error={fieldError(state, "publicKey")}
          />
        </>
      ) : (
        <p className="text-sm">
          SecureWave issues a new key and new addresses. The device keeps working with its current configuration until it connects with the
          new one, or for a grace period of a few days; after that only the new configuration works.
        </p>
      )}
      <FormMessages state={state} fields={peer.bringYourOwnKey ? ["publicKey"] : []} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} data-autofocus>
          Cancel
        </Button>
        <SubmitButton pendingLabel="Rotating…">Confirm rotate</SubmitButton>
      </div>
    </form>
  );
}

function RotatedView({ result, onDone }: { result: Rotated; onDone: () => void }) {
  const { peer, config, configError, keySaved } = result;
  const grace = peer.pendingRotation?.graceUntil;
  const ref = useRef<HTMLDivElement>(null);
  // The confirm button that had focus is gone: start reading at the outcome.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="space-y-4 focus:outline-none">
      <Alert tone="success" title="New keys issued">
        {grace ? (
          <p>
            Load the new configuration on the device now. The old one keeps working until <DateTime value={grace} /> or until the new one
            connects.
          </p>
        ) : (
          <p>Load the new configuration on the device now: the old one stops working once the server drops it.</p>
        )}
      </Alert>
      {keySaved === false ? (
        <Alert tone="warning">This browser could not store the new private key: scan or download the configuration now, it cannot be shown again.</Alert>
      ) : null}
      {configError ? <Alert tone="error">{configError}</Alert> : null}
      {config && config.complete ? (
        <ConfigPanel
          text={config.text}
          deviceName={peer.deviceName}
          download={peer.bringYourOwnKey ? { text: config.text, filename: config.filename } : { href: configHref(peer.id) }}
        />
      ) : null}
      {config && !config.complete ? (
        <div className="space-y-3">
          <p className="text-sm">
            Your WireGuard app holds the new private key. Update the tunnel there with these settings (its addresses changed):
          </p>
          <ConfigText text={config.text} summary="New settings for your WireGuard app" open />
          <ConfigDownload source={{ text: config.text, filename: config.filename }} label="Download template (no private key)" />
        </div>
      ) : null}
      <div className="flex justify-end">
        <Button variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

export function RotateDeviceButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className={buttonClasses("secondary", "sm")}
        aria-haspopup="dialog"
        aria-describedby={describedBy}
        disabled={!hydrated}
        onClick={() => setOpen(true)}
      >
        Rotate now
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={`Rotate the keys of “${peer.deviceName}”`}
        description="Rotating replaces the device's key. You will need to load the new configuration on the device."
      >
        <RotateFlow peer={peer} onCancel={() => setOpen(false)} />
      </Modal>
    </>
  );
}
