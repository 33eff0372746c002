import { withApi } from "@/lib/api/handler";
import { BulkUpdateSchema } from "@/lib/validation/support-tools";
import { bulkUpdateTickets } from "@/lib/services/support";

/** Staff: `{ids, assigneeId?, status?, addTags?}` (at most 100 ids) → `{updated}`, the number of tickets that changed. */
export const POST = withApi({ auth: "staff", body: BulkUpdateSchema }, async ({ actor, body }) => bulkUpdateTickets(actor, body));
