"use client";

import { useId, type ReactNode } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ServerDto } from "@/lib/dal/servers";
import { peerStats } from "@/lib/vpn/peer-stats";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { formatBytes, keyAge, timeAgo } from "@/components/devices/format";
import { ActivityBadge, RotationBadge } from "./device-badges";
import { DeviceTypeIcon, DEVICE_TYPE_NAMES } from "./device-type";
import { DeviceActions } from "./device-actions";

/** A label and its value; styled by `.device-facts` (app/globals.css). */
function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One device: a card on phones, a row of the list from `lg` up. */
export function DeviceItem({ peer, server, now }: { peer: PeerDto; server: ServerDto | undefined; now: number }) {
  const nameId = useId();
  const stats = peerStats(peer, new Date(now));
  const revoked = peer.status !== "active";
  const handshake = timeAgo(peer.lastHandshakeAt, now);
  const expired = !revoked && !!peer.expiresAt && new Date(peer.expiresAt).getTime() <= now;

  return (
    <li
      data-testid="device"
      data-device-name={peer.deviceName}
      data-device-id={peer.id}
      data-device-status={peer.status}
      data-activity={stats.activity}
      aria-labelledby={nameId}
      // The row's styles are classes of app/globals.css: written once, not per device.
      className={revoked ? "device-row revoked" : "device-row"}
    >
      <div className="device-grid">
        <div className="device-title">
          <DeviceTypeIcon type={peer.deviceType} />
          <div className="min-w-0">
            <h3 id={nameId} title={peer.deviceName}>
              {peer.deviceName}
            </h3>
            <p className="muted text-sm">{DEVICE_TYPE_NAMES[peer.deviceType] ?? peer.deviceType}</p>
            {peer.bringYourOwnKey ? (
              <Badge tone="info" className="mt-1">
                Key kept on device
              </Badge>
            ) : null}
          </div>
        </div>

        <dl className="device-facts">
          <Item label="Server">
            {server ? (
              <>
                {`${server.name} `}
                <span className="muted">{`· ${server.region}`}</span>
              </>
            ) : (
              <span className="muted">Unknown server</span>
            )}
          </Item>
          <Item label="Addresses">
            <span className="addr">{peer.ipv4}</span>
            <span className="addr" title={peer.ipv6}>
              {peer.ipv6}
            </span>
          </Item>
        </dl>

        <dl className="device-facts">
          <Item label="Status">
            <span className="chips">
              <ActivityBadge activity={stats.activity} />
              {expired ? (
                <Badge tone="danger">
                  <span data-testid="device-expired">Expired</span>
                </Badge>
              ) : null}
            </span>
          </Item>
          {!revoked && peer.expiresAt ? (
            <Item label="Expiry">
              <span data-testid="device-expiry" className={expired ? "text-red-700 dark:text-red-400" : undefined}>
                {expired ? "Expired on " : "Expires on "}
                <DateTime value={peer.expiresAt} />
              </span>
            </Item>
          ) : null}
          <Item label="Last handshake">
            {handshake && peer.lastHandshakeAt ? (
              <time dateTime={peer.lastHandshakeAt} title={peer.lastHandshakeAt} data-testid="device-handshake">
                {handshake}
              </time>
            ) : (
              <span className="muted">Never</span>
            )}
          </Item>
          {!revoked && peer.latencyMs !== null && peer.latencyMeasuredAt ? (
            <Item label="Latency">
              <span data-testid="device-latency" title={`Round trip from the server over the tunnel, measured ${timeAgo(peer.latencyMeasuredAt, now) ?? ""}`}>
                {peer.latencyMs < 10 ? peer.latencyMs.toFixed(1) : Math.round(peer.latencyMs)} ms
              </span>
            </Item>
          ) : null}
          {revoked && peer.revokedAt ? (
            <Item label="Revoked">
              <DateTime value={peer.revokedAt} />
            </Item>
          ) : null}
        </dl>

        <dl className="device-facts">
          <Item label="Data used">
            <span className="whitespace-nowrap" data-testid="device-usage">
              <span aria-hidden="true">↑</span>
              <span className="sr-only">Sent</span>
              {` ${formatBytes(peer.bytesSent)} `}
              <span aria-hidden="true" className="ml-2">
                ↓
              </span>
              <span className="sr-only">Received</span>
              {` ${formatBytes(peer.bytesReceived)}`}
            </span>
          </Item>
          <Item label="Key">
            <span className="chips">
              <span data-testid="device-key-age">{keyAge(peer.daysSinceRotation)}</span>
              {revoked ? null : <RotationBadge status={stats.rotation.status} />}
              {!revoked && peer.pendingRotation ? (
                <span className="basis-full text-xs text-sky-800 dark:text-sky-300" data-testid="device-rotation-pending">
                  <strong>New configuration ready: scan or download it.</strong> The old key ({peer.pendingRotation.previousIpv4}) still
                  works until <DateTime value={peer.pendingRotation.graceUntil} /> or until the new configuration connects.
                </span>
              ) : null}
            </span>
          </Item>
        </dl>
      </div>

      <DeviceActions peer={peer} nameId={nameId} now={now} />
    </li>
  );
}
