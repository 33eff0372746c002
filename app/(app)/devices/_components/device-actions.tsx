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
 * Every trigger is described by the device's name for screen readers, while
 * its name stays the plain action ("Revoke").
 */
export function DeviceActions({ peer, nameId, now }: { peer: PeerDto; nameId: string; now: number }) {
  if (peer.status !== "active") {
    return (
      <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-200 pt-3 lg:justify-end lg:border-0 lg:pt-0 dark:border-slate-800">
        <DeleteDeviceButton peer={peer} describedBy={nameId} />
      </div>
    );
  }
  return (
    <div className="mt-4 flex flex-col gap-2 border-t border-slate-200 pt-3 sm:flex-row sm:flex-wrap sm:items-center lg:border-0 lg:pt-0 dark:border-slate-800">
      <div className="flex flex-col gap-2 sm:flex-row">
        <ShowQrButton peer={peer} describedBy={nameId} />
        <span className="flex max-sm:order-first [&>*]:w-full sm:[&>*]:w-auto">
          {peer.bringYourOwnKey ? (
            <ByokDownloadButton peer={peer} describedBy={nameId} />
          ) : (
            <ConfigDownload source={{ href: configHref(peer.id) }} describedBy={nameId} />
          )}
        </span>
        {peer.bringYourOwnKey ? null : <SendToPhoneButton peer={peer} describedBy={nameId} />}
      </div>
      <div className="flex flex-wrap gap-2 sm:ml-auto">
        <SettingsButton peer={peer} describedBy={nameId} />
        <ExpiryButton peer={peer} describedBy={nameId} now={now} />
        <RotateDeviceButton peer={peer} describedBy={nameId} />
        <RevokeDeviceButton peer={peer} describedBy={nameId} />
        <DeleteDeviceButton peer={peer} describedBy={nameId} />
      </div>
    </div>
  );
}
