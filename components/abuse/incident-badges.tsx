import { Badge } from "@/components/ui/badge";
import type { IncidentStatus, Severity } from "@/lib/abuse/types";
import { SEVERITY_LABELS, SEVERITY_TONES, STATUS_LABELS, STATUS_TONES } from "./labels";

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={SEVERITY_TONES[severity]} className={severity === "critical" ? "font-semibold uppercase" : undefined}>
      {SEVERITY_LABELS[severity]}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
