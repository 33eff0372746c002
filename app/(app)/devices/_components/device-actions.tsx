"use client";

import type { PeerDto } from "@/lib/services/peer-dto";
import { ConfigDownload } from "./config-panel";
import { configHref } from "./device-config";
import { ShowQrButton, ByokDownloadButton } from "./qr-dialog";
import { RotateDeviceButton } from "./rotate-dialog";
import { DeleteDeviceButton, RevokeDeviceButton } from "./confirm-dialogs";
import { SendToPhoneButton } from "./share-dialog";
import { ExpiryButton } from "./expiry-dialog";
import { SettingsButton } from "./settings-dialog";

/**
 * A device's actions. On phones the download comes first and is the primary
 * button (a phone cannot scan its own screen); from `sm` up the QR code is.
 * The actions are a group named by the device ("Work laptop" group), so each
 * trigger's name stays the plain action ("Revoke") without repeating the
 * device on every button.
 */
export function DeviceActions({ peer, nameId, now }: { peer: PeerDto; nameId: string; now: number }) {
  if (peer.status !== "active") {
    return (
      <div className="device-actions" role="group" aria-labelledby={nameId}>
        <DeleteDeviceButton peer={peer} />
      </div>
    );
  }
  return (
    <div className="device-actions" role="group" aria-labelledby={nameId}>
      <div className="device-actions-main">
        <ShowQrButton peer={peer} />
        <span className="device-actions-download">
          {peer.bringYourOwnKey ? (
            <ByokDownloadButton peer={peer} />
          ) : (
            <ConfigDownload source={{ href: configHref(peer.id) }} />
          )}
        </span>
        {peer.bringYourOwnKey ? null : <SendToPhoneButton peer={peer} />}
      </div>
      <div className="device-actions-more">
        <SettingsButton peer={peer} />
        <ExpiryButton peer={peer} now={now} />
        <RotateDeviceButton peer={peer} />
        <RevokeDeviceButton peer={peer} />
        <DeleteDeviceButton peer={peer} />
      </div>
    </div>
  );
}
