import Link from "next/link";
import type { IncidentDto } from "@/lib/dal/abuse";
import { Table, Td, Th } from "@/components/ui/table";
import { DateTime } from "@/components/ui/date-time";
import { SeverityBadge, StatusBadge } from "@/components/abuse/incident-badges";
import { ACTION_LABELS, DETECTION_LABELS, TYPE_LABELS } from "@/components/abuse/labels";

/**
 * The queue: pending first, then investigating, then closed (the order comes from the DAL). Four columns, so
 * that it fits the admin area at desktop sizes without scrolling: the incident's type (its link) with its
 * description under it; its severity, status and the action taken together. On a phone the region scrolls,
 * its edge shaded.
 */
export function IncidentsTable({ incidents }: { incidents: IncidentDto[] }) {
  return (
    <Table label="Abuse incidents" className="scroll-hint">
      <thead>
        <tr>
          <Th>Detected</Th>
          <Th>User</Th>
          <Th>Incident</Th>
          <Th>Status</Th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id} data-testid="incident-row" data-status={i.status} data-severity={i.severity} data-type={i.incidentType}>
            <Td>
              <DateTime value={i.detectedAt} />
            </Td>
            <Td className="font-medium">
              <span className="block max-w-56 min-w-32 whitespace-normal [overflow-wrap:anywhere]">{i.userEmail}</span>
            </Td>
            <Td>
              <div className="max-w-80 min-w-48 whitespace-normal">
                <Link href={`/admin/abuse/${i.id}`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                  {TYPE_LABELS[i.incidentType]}
                </Link>
                <p className="mt-0.5 text-slate-700 [overflow-wrap:anywhere] dark:text-slate-300">{i.description}</p>
              </div>
            </Td>
            <Td>
              <div className="flex max-w-48 flex-col items-start gap-1 whitespace-normal">
                <div className="flex flex-wrap gap-1">
                  <SeverityBadge severity={i.severity} />
                  <StatusBadge status={i.status} />
                </div>
                <span className="text-xs text-slate-600 dark:text-slate-400">Action taken: {ACTION_LABELS[i.actionTaken]}</span>
                {i.warningSent && i.actionTaken !== "warning_sent" ? <span className="text-xs text-slate-600 dark:text-slate-400">Warning sent</span> : null}
                {i.detectionMethod !== "automated" ? <span className="text-xs text-slate-600 dark:text-slate-400">{DETECTION_LABELS[i.detectionMethod]}</span> : null}
              </div>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
