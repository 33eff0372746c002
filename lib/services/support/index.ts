import "server-only";

/**
 * Support tickets: the write side (services) and the reads pages and routes
 * use (re-exported from the DAL), in one import.
 */
export { createTicket } from "./create-ticket";
export { updateTicket } from "./update-ticket";
export { addMessage } from "./messages";
export { bulkUpdateTickets } from "./bulk";
export { createMacro, updateMacro, deleteMacro } from "./macros";
export { rateTicket } from "./rating";
export { readAttachment, getRequesterDevices } from "./read";
export { runSlaMonitor, sweepSlaBreaches } from "./sla-monitor";
export { touchPresence, leavePresence } from "./presence";
export { listMessagesPage, getTicketLive, getQueueVersion, type TicketLiveDto } from "@/lib/dal/ticket-live";
export { getSlaTargets } from "@/lib/support/sla-config";
export {
  getTicket,
  listTickets,
  getTicketStats,
  listSupportStaff,
  type TicketView,
  type TicketStatsDto,
} from "@/lib/dal/tickets";
export { listMacros, getMacro } from "@/lib/dal/macros";
export { getCustomerContext, type CustomerContextDto, type ContextTicket, type ContextIncident } from "@/lib/dal/customer-context";
export type { MacroDto } from "@/lib/support/macros";
export type { TicketDto, TicketDetailDto, QueueTicketDto, MessageDto, AttachmentDto, PersonDto } from "@/lib/dal/ticket-dto";
export type { DeviceSnapshot, DeviceSnapshotItem } from "@/lib/support/device-snapshot";
export type { UploadInput } from "./uploads";
