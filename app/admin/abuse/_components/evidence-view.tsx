import type { ReactNode } from "react";
import { DateTime } from "@/components/ui/date-time";
import { formatBytes, trimNumber } from "@/lib/abuse/format";

/**
 * An incident's evidence for a human: the figure against its threshold, the
 * window, the other figures, and the lists (IPs, sessions, devices), then the
 * raw JSON exactly as stored.
 */
type Metadata = Record<string, unknown>;

const HEADLINE_KEYS = new Set(["detector", "measure", "value", "unit", "comparison", "threshold", "criticalAt", "windowStart", "windowEnd", "listCap"]);

const FIGURE_LABELS: Record<string, string> = {
  totalBytes: "Total traffic",
  bytesUp: "Uploaded by the device",
  bytesDown: "Downloaded by the device",
  samples: "Traffic samples",
  peerCount: "Devices involved",
  sessionsStarted: "Sessions started",
  clientIpCount: "Distinct client IPs",
  serverCount: "Servers",
  firstStartedAt: "First session started",
  lastStartedAt: "Last session started",
  peakConcurrent: "Sessions open at once (peak)",
  peakAt: "Peak at",
  ratio: "Ratio (larger : smaller)",
  dominant: "Dominant direction",
  oneDirectional: "Traffic in one direction only",
  minimumVolumeBytes: "Minimum volume judged",
  distinctIps: "Distinct client IPs",
  sessionCount: "Sessions",
  sampleCount: "Traffic samples",
  // Incidents opened by hand or from a ticket.
  openedBy: "Opened by",
  ticketNumber: "Ticket",
  ticketSubject: "Ticket subject",
  ticketId: "Ticket id",
  reportedByRequester: "About the ticket's requester",
};

const LIST_LABELS: Record<string, string> = {
  clientIps: "Client IPs",
  sessionIds: "Session ids",
  peerIds: "Device (peer) ids",
  serverIds: "Server ids",
};

const isBytesKey = (k: string) => /bytes/i.test(k);
const isTimeKey = (k: string) => /At$/.test(k) && k !== "criticalAt";

function formatFigure(key: string, v: unknown): ReactNode {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number" && isBytesKey(key)) return `${formatBytes(v)} (${v.toLocaleString("en")} bytes)`;
  if (typeof v === "string" && isTimeKey(key)) return <DateTime value={v} />;
  if (key === "ratio" && typeof v === "number") return `${trimNumber(v, 2)} : 1`;
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return v.toLocaleString("en");
  if (typeof v === "string") return v;
  return <code className="font-mono text-xs">{JSON.stringify(v)}</code>;
}

function formatMeasure(unit: unknown, v: unknown): string {
  if (typeof v !== "number") return unit === "ratio" ? "∞ (one direction only)" : "—";
  if (unit === "bytes") return formatBytes(v);
  if (unit === "ratio") return `${trimNumber(v, 2)} : 1`;
  return v.toLocaleString("en");
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

export function EvidenceView({ metadata }: { metadata: Metadata }) {
  const m = metadata ?? {};
  const cap = typeof m.listCap === "number" ? m.listCap : null;
  const figures = Object.entries(m).filter(([k, v]) => !HEADLINE_KEYS.has(k) && !Array.isArray(v));
  const lists = Object.entries(m).filter(([k, v]) => !HEADLINE_KEYS.has(k) && Array.isArray(v)) as [string, unknown[]][];
  const hasRule = "threshold" in m;
  return (
    <div className="space-y-5" data-testid="evidence">
      {hasRule ? (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[14rem_1fr]">
          <Row label="Measured">
            <strong>{formatMeasure(m.unit, m.value)}</strong>
          </Row>
          <Row label="Threshold">
            {m.comparison === ">=" ? "reached at " : "more than "}
            {formatMeasure(m.unit, m.threshold)}; critical from {formatMeasure(m.unit, m.criticalAt)}
          </Row>
          <Row label="Window">
            <DateTime value={typeof m.windowStart === "string" ? m.windowStart : null} /> → <DateTime value={typeof m.windowEnd === "string" ? m.windowEnd : null} />
          </Row>
        </dl>
      ) : null}
      {figures.length ? (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[14rem_1fr]">
          {figures.map(([k, v]) => (
            <Row key={k} label={FIGURE_LABELS[k] ?? k}>
              {formatFigure(k, v)}
            </Row>
          ))}
        </dl>
      ) : null}
      {lists.map(([k, items]) => (
        <div key={k}>
          <h3 className="text-sm font-medium text-slate-600 dark:text-slate-400">
            {LIST_LABELS[k] ?? k}
            {cap !== null && items.length >= cap ? <span className="font-normal"> (first {cap} shown)</span> : null}
          </h3>
          {items.length ? (
            <ul className="mt-1 flex flex-wrap gap-1.5" data-testid={`evidence-${k}`}>
              {items.map((item) => (
                <li key={String(item)}>
                  <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">{String(item)}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-500">None</p>
          )}
        </div>
      ))}
      <details className="rounded-md border border-slate-200 dark:border-slate-800">
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Raw evidence (JSON)</summary>
        <pre className="max-h-96 overflow-auto border-t border-slate-200 p-3 font-mono text-xs dark:border-slate-800" data-testid="evidence-json">
          {JSON.stringify(m, null, 2)}
        </pre>
      </details>
    </div>
  );
}
