import { Badge } from "@/components/ui/badge";
import { PRIORITY_LABELS, PRIORITY_TONES, STATUS_LABELS, STATUS_LABELS_FOR_REQUESTER, STATUS_TONES } from "@/lib/support/labels";
import type { TicketPriority, TicketStatus } from "@/lib/validation/support";

export function StatusBadge({ status, forRequester = false }: { status: TicketStatus; forRequester?: boolean }) {
  return (
    <Badge tone={STATUS_TONES[status]}>
      <span data-testid="ticket-status" data-status={status}>
        {(forRequester ? STATUS_LABELS_FOR_REQUESTER : STATUS_LABELS)[status]}
      </span>
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  return <Badge tone={PRIORITY_TONES[priority]}>{PRIORITY_LABELS[priority]} priority</Badge>;
}
