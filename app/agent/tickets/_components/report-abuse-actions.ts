"use server";

import { defineFormAction } from "@/lib/actions/define-action";
import { reportIncident } from "@/lib/services/abuse/reports";
import { ReportIncidentSchema } from "@/lib/validation/abuse-mitigation";
import { IdSchema } from "@/lib/validation/ids";

/**
 * The ticket page's "Report abuse": turns the ticket into a user_report
 * incident (POST /api/admin/abuse with the ticket), for support staff.
 */
export const reportAbuseAction = defineFormAction(
  {
    auth: "support.work",
    input: ReportIncidentSchema.extend({ ticketId: IdSchema }),
    values: ["type", "severity", "description"],
    notFound: "This ticket or account could not be found.",
    revalidate: ({ ticketId }) => [`/agent/tickets/${ticketId}`, "/admin/abuse"],
  },
  async ({ actor, input }) => {
    const incident = await reportIncident(actor, input);
    return { id: incident.id };
  },
);
