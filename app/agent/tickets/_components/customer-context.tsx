import Link from "next/link";
import type { ReactNode } from "react";
import type { ContextTicket, CustomerContextDto } from "@/lib/services/support";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { STATUS_LABELS, STATUS_TONES } from "@/lib/support/labels";
import { SEVERITY_LABELS, SEVERITY_TONES, STATUS_LABELS as INCIDENT_STATUS_LABELS, STATUS_TONES as INCIDENT_STATUS_TONES, TYPE_LABELS } from "@/components/abuse/labels";

const ACCOUNT_TONES: Record<CustomerContextDto["customer"]["status"], BadgeTone> = { active: "success", suspended: "warning", banned: "danger" };
const ACCOUNT_LABELS: Record<CustomerContextDto["customer"]["status"], string> = { active: "Active", suspended: "Suspended", banned: "Banned" };

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-2">
      <h3 className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">{title}</h3>
      {children}
    </div>
  );
}

function TicketLinks({ items, empty, label }: { items: ContextTicket[]; empty: string; label: string }) {
  if (items.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">{empty}</p>;
  return (
    <ul className="space-y-2" aria-label={label}>
      {items.map((t) => (
        <li key={t.id} className="min-w-0 text-sm">
          <Link href={`/agent/tickets/${t.id}`} className="block truncate font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
            {t.subject}
          </Link>
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
            <span className="font-mono">{t.ticketNumber}</span>
            {/* A plain badge: the page's own status badge is the one tests and scripts look up. */}
            <Badge tone={STATUS_TONES[t.status]}>{STATUS_LABELS[t.status]}</Badge>
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Beside the conversation: who the requester is to us (plan, standing, other tickets, abuse history). */
export function CustomerContext({ context: c }: { context: CustomerContextDto }) {
  const { customer, abuse } = c;
  return (
    <Card data-testid="customer-context" aria-labelledby="customer-context-title">
      <CardHeader title={<span id="customer-context-title">Customer</span>} description={<span className="break-all">{customer.name ? `${customer.name} · ${customer.email}` : customer.email}</span>} />
      <CardBody className="space-y-5">
        <dl className="grid grid-cols-2 gap-3 text-sm">
          <div>
            <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">Plan</dt>
            <dd data-testid="customer-plan">{c.plan?.name ?? "None"}</dd>
          </div>
          <div>
            <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">Account</dt>
            <dd data-testid="customer-status" data-status={customer.status}>
              <Badge tone={ACCOUNT_TONES[customer.status]}>{ACCOUNT_LABELS[customer.status]}</Badge>
            </dd>
          </div>
          {customer.status !== "active" && customer.statusReason ? (
            <div className="col-span-2">
              <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">Reason</dt>
              <dd className="break-words">{customer.statusReason}</dd>
            </div>
          ) : null}
          <div className="col-span-2">
            <dt className="text-xs font-medium text-slate-600 dark:text-slate-400">Customer since</dt>
            <dd>
              <DateTime value={customer.memberSince} />
            </dd>
          </div>
        </dl>
        <Section title="Other open tickets">
          <TicketLinks items={c.openTickets} empty="None." label="Other open tickets" />
        </Section>
        <Section title="Recent tickets">
          <TicketLinks items={c.recentTickets} empty="No earlier tickets." label="Recent tickets" />
        </Section>
        <Section title="Abuse incidents">
          <p className="text-sm" data-testid="customer-abuse-count">
            {abuse.total === 0 ? "None on record." : `${abuse.total} in total, ${abuse.open} open.`}
          </p>
          {abuse.latest.length ? (
            <ul className="space-y-2" aria-label="Latest abuse incidents">
              {abuse.latest.map((i) => (
                <li key={i.id} className="text-sm">
                  <span className="block font-medium">{TYPE_LABELS[i.incidentType]}</span>
                  <span className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                    <Badge tone={SEVERITY_TONES[i.severity]}>{SEVERITY_LABELS[i.severity]}</Badge>
                    <Badge tone={INCIDENT_STATUS_TONES[i.status]}>{INCIDENT_STATUS_LABELS[i.status]}</Badge>
                    <DateTime value={i.detectedAt} />
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
        </Section>
      </CardBody>
    </Card>
  );
}
