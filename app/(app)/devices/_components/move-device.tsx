"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ActionFailure } from "@/lib/actions/result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/field";
import { Spinner } from "@/components/ui/spinner";
import { moveDeviceAction } from "../actions";
import { ConfigDownload, ConfigPanel, ConfigText } from "./config-panel";
import { configHref, loadDeviceConfig, type LoadedConfig } from "./device-config";
import { FormMessages } from "./form-messages";
import { readLocalKey } from "./local-keys";
import { useNotify } from "./notice";
import { useRefreshPeers } from "./peers-query";
import { useServers } from "./servers-context";

type Moved = { peer: PeerDto; serverName: string; config: LoadedConfig | null; configError: string | null };

/** The notice every moved device gets, in its dialog and above the list. */
export const scanAgainText = (deviceName: string, serverName: string) =>
  `“${deviceName}” moved to ${serverName}. Scan its new QR code (or load the new file) on the device: the old configuration no longer connects.`;

/**
 * "Move to another server", in the device's settings dialog: the same device
 * and key, new addresses on the chosen server. Afterwards the dialog says
 * that the device must load its new configuration and shows it.
 */
export function MoveDevice({ peer, onDone, onMoved }: { peer: PeerDto; onDone: () => void; onMoved?: () => void }) {
  const servers = useServers().filter((s) => s.id !== peer.serverId);
  const [serverId, setServerId] = useState(servers[0]?.id ?? "");
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [moved, setMoved] = useState<Moved | null>(null);
  const [pending, startTransition] = useTransition();
  const client = useQueryClient();
  const refresh = useRefreshPeers();
  const notify = useNotify();
  const headingId = useId();

  if (moved) return <MovedView moved={moved} onDone={onDone} />;

  function move() {
    startTransition(async () => {
      const result = await moveDeviceAction({ id: peer.id, serverId });
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      const serverName = servers.find((s) => s.id === serverId)?.name ?? "the new server";
      // The key did not change but the config did: drop every cached copy of the old one (the QR dialog's too).
      client.removeQueries({ queryKey: ["vpn", "peer-config", peer.id] });
      refresh();
      notify("success", scanAgainText(result.data.deviceName, serverName));
      let config: LoadedConfig | null = null;
      let configError: string | null = null;
      try {
        config = await loadDeviceConfig(peer.id, peer.bringYourOwnKey ? readLocalKey(peer.id) : null);
      } catch (err) {
        configError = err instanceof Error ? err.message : "The new configuration could not be loaded.";
      }
      setMoved({ peer: result.data, serverName, config, configError });
      onMoved?.();
    });
  }

  return (
    <section aria-labelledby={headingId} className="space-y-3 border-t border-slate-200 pt-4 dark:border-slate-800" data-testid="move-device">
      <h3 id={headingId} className="text-sm font-semibold">
        Move to another server
      </h3>
      {servers.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">There is no other server to move this device to.</p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            The device keeps its name and key and gets new addresses on the new server. It leaves this server at once, so you will need to scan
            the new QR code (or load the new file) on the device.
          </p>
          <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <SelectField label="New server" name="serverId" value={serverId} onChange={(e) => setServerId(e.target.value)} fieldClassName="flex-1">
              {servers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} — {s.region} ({s.status})
                </option>
              ))}
            </SelectField>
            <Button variant="secondary" onClick={move} disabled={pending || !serverId} aria-disabled={pending}>
              {pending ? <Spinner label="Moving" /> : null}
              {pending ? "Moving…" : "Move device"}
            </Button>
          </div>
          <FormMessages state={failure} fields={[]} />
        </>
      )}
    </section>
  );
}

function MovedView({ moved, onDone }: { moved: Moved; onDone: () => void }) {
  const { peer, serverName, config, configError } = moved;
  const ref = useRef<HTMLDivElement>(null);
  // The button that had focus is gone: start reading at the outcome.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} tabIndex={-1} className="space-y-4 focus:outline-none" data-testid="device-moved">
      <Alert tone="warning" title="Scan the new QR code on the device">
        <p>{scanAgainText(peer.deviceName, serverName)}</p>
      </Alert>
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
          <p className="text-sm">Your WireGuard app holds the private key. Update the tunnel there with these settings (its server and addresses changed):</p>
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
