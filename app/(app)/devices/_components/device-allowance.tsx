"use client";

import Link from "next/link";
import { useId } from "react";
import type { PackedPeerPage } from "./peer-pack";
import type { ServerDto } from "@/lib/dal/servers";
import { AddDeviceButton } from "./add-device-dialog";
import { usePeers } from "./peers-query";

/**
 * "3 of 5 devices" and the Add device button, which is disabled at the
 * plan's limit with the reason beside it, before any form is filled. The
 * count follows the device list's query cache, so it moves with every
 * create, revoke and poll; the service still checks the limit on create.
 * A suspended account sees it disabled too, with that reason.
 */
export function DeviceAllowance({
  servers,
  limit,
  planName,
  initialPage,
  renderedAt,
  suspended = false,
}: {
  servers: ServerDto[];
  /** A suspended account adds no device (its devices are out of every server config). */
  suspended?: boolean;
  limit: number;
  planName: string;
  initialPage: PackedPeerPage;
  renderedAt: number;
}) {
  const { activeCount: used } = usePeers(initialPage, renderedAt);
  const full = used >= limit;
  const reasonId = useId();
  const reason = suspended
    ? "Your account is suspended, so it cannot add devices until it is restored."
    : full
      ? `Your ${planName} plan allows ${limit} device${limit === 1 ? "" : "s"}: revoke one or change your plan to add another.`
      : null;
  return (
    <div className="flex max-w-xs flex-col items-start gap-1 sm:items-end">
      <AddDeviceButton
        servers={servers}
        disabledReason={reason}
        reasonId={reasonId}
      />
      <p
        className="text-xs text-slate-600 sm:text-right dark:text-slate-400"
        data-testid="device-allowance"
        data-used={used}
        data-limit={limit}
      >
        <span className="font-medium tabular-nums">
          {used} of {limit}
        </span>{" "}
        devices on your{" "}
        <Link href="/plan" className="underline">
          {planName} plan
        </Link>
      </p>
      {reason ? (
        <p
          id={reasonId}
          role="status"
          className="text-xs text-amber-800 sm:text-right dark:text-amber-300"
          data-testid="device-limit-reason"
        >
          {reason}
        </p>
      ) : null}
    </div>
  );
}
