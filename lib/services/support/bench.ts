import { systemActor } from "@/lib/auth/actor";
import { listTickets } from "@/lib/dal/tickets";
import type { TicketFilters } from "@/lib/validation/support";
import { runSlaMonitor } from "./sla-monitor";

/**
 * Benchmark hooks for bench/: one page of the agent queue as the page asks
 * for it (active tickets, most urgent SLA first, on the partial index
 * support_tickets_queue_idx; pass a cursor for the next page, filters to
 * narrow it), and one full run of the SLA monitor.
 */
export function benchAgentQueuePage(filters: TicketFilters = {}, now: Date = new Date()) {
  return listTickets(systemActor("bench"), { limit: 50, ...filters }, { view: "staff", defaultStatus: "active", now });
}

export function benchSlaMonitor(now: Date = new Date()) {
  return runSlaMonitor(now);
}
