"use client";

import Link from "next/link";
import { formatRate } from "@/lib/abuse/throttle";
import type { PeerDto } from "@/lib/services/peer-dto";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";

/**
 * Tells the user their devices are throttled, how much and until when. A
 * throttle covers every device of the account, so every active device
 * carries the same one (GET /api/vpn/peers/:id `throttle`); the list's
 * polling makes the notice appear and go without a reload.
 */
export function ThrottleNotice({ peers }: { peers: PeerDto[] }) {
  const throttle = peers.find((p) => p.status === "active" && p.throttle)?.throttle;
  if (!throttle) return null;
  return (
    <Alert tone="warning" title="Your devices are temporarily limited" className="mb-4" testId="throttle-notice">
      Every device on this account runs at up to <strong>{formatRate(throttle.rateKbit)}</strong> each way until <DateTime value={throttle.until} />, after
      unusual activity on the account. They keep working and return to full speed by themselves. Questions?{" "}
      <Link href="/support" className="font-medium underline underline-offset-2">
        Contact support
      </Link>
      .
    </Alert>
  );
}
