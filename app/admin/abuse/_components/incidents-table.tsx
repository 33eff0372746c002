import Link from "next/link";
import type { IncidentDto } from "@/lib/dal/abuse";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { SeverityBadge, StatusBadge } from "./incident-badges";
import { ACTION_LABELS, DETECTION_LABELS, TYPE_LABELS } from "./labels";

/** The queue: pending first, then investigating, then closed (the order comes from the DAL). */
export function IncidentsTable({ incidents }: { incidents: IncidentDto[] }) {
  return (
    <Table label="Abuse incidents">
      <thead>
        <tr>
          <Th>Detected</Th>
          <Th>User</Th>
          <Th>Type</Th>
          <Th>Severity</Th>
          <Th>Description</Th>
          <Th>Status</Th>
          <Th>Action taken</Th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id} data-testid="incident-row" data-status={i.status} data-severity={i.severity} data-type={i.incidentType}>
            <Td>
              <DateTime value={i.detectedAt} />
            </Td>
            <Td className="font-medium">{i.userEmail}</Td>
            <Td>
              <Link href={`/admin/abuse/${i.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                {TYPE_LABELS[i.incidentType]}
              </Link>
            </Td>
            <Td>
              <SeverityBadge severity={i.severity} />
            </Td>
            <Td className="max-w-80 whitespace-normal">{i.description}</Td>
            <Td>
              <StatusBadge status={i.status} />
            </Td>
            <Td>
              {ACTION_LABELS[i.actionTaken]}
              {i.warningSent && i.actionTaken !== "warning_sent" ? <span className="block text-xs text-slate-600 dark:text-slate-400">Warning sent</span> : null}
              {i.detectionMethod !== "automated" ? <span className="block text-xs text-slate-600 dark:text-slate-400">{DETECTION_LABELS[i.detectionMethod]}</span> : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
