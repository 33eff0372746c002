import { withApi } from "@/lib/api/handler";
import { getTicketStats } from "@/lib/services/support";

/** Staff: totals, open, resolved, average first response and resolution time, SLA breaches, and the queue's tags with their counts. */
export const GET = withApi({ auth: "staff" }, async ({ actor }) => getTicketStats(actor));
