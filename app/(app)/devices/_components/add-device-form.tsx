"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import type { ServerDto } from "@/lib/dal/servers";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ActionResult, ActionState } from "@/lib/actions/result";
import { fieldError } from "@/lib/actions/result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { InputField, SelectField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { generateKeyPairBrowser, isWireGuardKeyBrowser } from "@/lib/wireguard/keys-browser";
import { ServerStatusBadge } from "./device-badges";
import { DEVICE_TYPE_LABELS, DEVICE_TYPES, guessDeviceType, type DeviceType } from "./device-type";
import { saveLocalKey } from "./local-keys";
import { createDeviceAction } from "../actions";
import { loadDeviceConfig, type LoadedConfig } from "./device-config";
import { FormMessages } from "./form-messages";
import { useRefreshPeers } from "./peers-query";
import { advisedOrder, noneAdvised, serverLabel } from "./server-advice";

export type KeyMode = "server" | "browser" | "pasted";
export type Created = {
  peer: PeerDto;
  keyMode: KeyMode;
  /** For "browser": whether localStorage accepted the private key. */
  keySaved: boolean | null;
  config: LoadedConfig | null;
  configError: string | null;
};

const FIELDS = ["deviceName", "deviceType", "serverId", "publicKey"] as const;

/**
 * The add-device form. With "Keep the private key on this device" the key
 * pair is made here and only the public key is sent; the private key goes to
 * localStorage once the device exists. A pasted public key means the private
 * key is in the user's WireGuard app, and nothing is generated.
 */
export function AddDeviceForm({ servers, onCreated, onCancel }: { servers: ServerDto[]; onCreated: (c: Created) => void; onCancel: () => void }) {
  const refresh = useRefreshPeers();
  const ordered = advisedOrder(servers);
  const [serverId, setServerId] = useState(() => ordered[0]?.id ?? "");
  const [deviceType] = useState<DeviceType>(() => (typeof navigator === "undefined" ? "other" : guessDeviceType(navigator.userAgent)));
  const [keepKey, setKeepKey] = useState(false);
  const checkboxId = useId();
  const explainId = useId();

  async function create(_prev: ActionState<Created>, form: FormData): Promise<ActionResult<Created>> {
    const pasted = String(form.get("publicKey") ?? "").trim();
    const keep = form.get("keepPrivateKey") === "on";
    form.delete("keepPrivateKey");
    let privateKey: string | null = null;
    let keyMode: KeyMode = "server";
    if (pasted) {
      if (!isWireGuardKeyBrowser(pasted)) {
        return { ok: false, fieldErrors: { publicKey: ["Not a WireGuard public key (44 characters of base64 ending in “=”)"] } };
      }
      form.set("publicKey", pasted);
      keyMode = "pasted";
    } else if (keep) {
      // The private half never leaves this function except into localStorage.
      const pair = generateKeyPairBrowser();
      privateKey = pair.privateKey;
      form.set("publicKey", pair.publicKey);
      keyMode = "browser";
    } else {
      form.delete("publicKey");
    }
    const result = await createDeviceAction(null, form);
    if (!result.ok) return result;
    const peer = result.data;
    const keySaved = privateKey ? saveLocalKey(peer.id, privateKey) : null;
    refresh();
    let created: Created;
    try {
      created = { peer, keyMode, keySaved, config: await loadDeviceConfig(peer.id, privateKey), configError: null };
    } catch (err) {
      created = { peer, keyMode, keySaved, config: null, configError: err instanceof Error ? err.message : "The configuration could not be loaded." };
    }
    onCreated(created);
    return { ok: true, data: created };
  }

  const [state, dispatch, pending] = useActionState(create, null);

  // Submitted by hand rather than through <form action>: React resets a form
  // after its action, which would wipe what the user typed when there is an error.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(() => dispatch(form));
  }

  const selected = servers.find((s) => s.id === serverId);

  if (servers.length === 0) {
    return (
      <div className="space-y-4">
        <Alert tone="warning" title="No servers available">
          There is no VPN server to add a device to yet. Please try again later.
        </Alert>
        <div className="flex justify-end">
          <Button variant="secondary" onClick={onCancel}>
            Close
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-busy={pending}>
      <InputField
        label="Device name"
        name="deviceName"
        required
        maxLength={64}
        autoComplete="off"
        placeholder="e.g. Alice's iPhone"
        error={fieldError(state, "deviceName")}
        data-autofocus
      />
      <SelectField label="Device type" name="deviceType" defaultValue={deviceType} error={fieldError(state, "deviceType")}>
        {DEVICE_TYPES.map((t) => (
          <option key={t} value={t}>
            {DEVICE_TYPE_LABELS[t]}
          </option>
        ))}
      </SelectField>
      <div>
        <SelectField
          label="Server"
          name="serverId"
          value={serverId}
          onChange={(e) => setServerId(e.target.value)}
          error={fieldError(state, "serverId")}
        >
          {ordered.map((s) => (
            <option key={s.id} value={s.id}>
              {serverLabel(s)}
            </option>
          ))}
        </SelectField>
        {selected ? (
          <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400" aria-live="polite">
            <ServerStatusBadge status={selected.status} />
            <span>{selected.region}</span>
            <span className="flex items-center gap-1.5">
              <span aria-hidden="true" className="inline-block h-1.5 w-16 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700">
                <span className="block h-full bg-sky-500" style={{ width: `${Math.min(100, Math.max(0, selected.load))}%` }} />
              </span>
              {Math.round(selected.load)}% load
            </span>
            {selected.status === "offline" ? (
              <span className="basis-full text-amber-800 dark:text-amber-300">
                {noneAdvised(servers)
                  ? "Every server is offline right now: the device can be created, but it cannot connect until its server is back."
                  : "This server is offline right now: a device on it cannot connect until it is back. A server that is online is advised."}
              </span>
            ) : null}
          </div>
        ) : null}
      </div>

      <fieldset className="space-y-3 rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium">Private key</legend>
        <div className="flex items-start gap-2">
          <input
            id={checkboxId}
            type="checkbox"
            name="keepPrivateKey"
            checked={keepKey}
            onChange={(e) => setKeepKey(e.target.checked)}
            aria-describedby={explainId}
            className="mt-0.5 size-4 shrink-0 accent-sky-600"
          />
          <div>
            <label htmlFor={checkboxId} className="text-sm font-medium">
              Keep the private key on this device
            </label>
            <p id={explainId} className="mt-0.5 text-xs text-slate-600 dark:text-slate-400">
              Your browser makes the key pair and sends only the public key: SecureWave never has the private key. It is stored in this
              browser only, so the QR code and the file can be shown again here, but not in another browser.
            </p>
          </div>
        </div>
        <InputField
          label="I already have a public key"
          name="publicKey"
          autoComplete="off"
          spellCheck={false}
          placeholder="Optional: 44 characters ending in ="
          className="font-mono"
          hint="Paste it from the WireGuard app (create an empty tunnel there and copy its public key). Its private key stays in the app."
          error={fieldError(state, "publicKey")}
          onChange={(e) => {
            if (e.target.value.trim()) setKeepKey(true);
          }}
        />
      </fieldset>

      <FormMessages state={state} fields={FIELDS} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={pending} aria-disabled={pending}>
          {pending ? <Spinner label="Creating the device" /> : null}
          Create device
        </Button>
      </div>
    </form>
  );
}
