import { withApi } from "@/lib/api/handler";
import { exportCsv } from "@/lib/dal/exports";
import { csvResponse } from "@/lib/api/csv-response";
import { clientIp } from "@/lib/http/client-ip";
import { IncidentsExportQuerySchema } from "@/lib/validation/admin-lists";

/** GET /api/admin/export/incidents.csv: the abuse incidents (the queue's filters: status, type, severity) as CSV, streamed; recorded in the audit log. */
export const GET = withApi({ auth: "admin", query: IncidentsExportQuerySchema }, async ({ req, actor, query }) =>
  csvResponse(await exportCsv(actor, "incidents", query, { ip: clientIp(req.headers) }), "incidents"),
);
