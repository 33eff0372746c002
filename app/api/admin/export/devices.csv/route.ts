import { withApi } from "@/lib/api/handler";
import { exportCsv } from "@/lib/dal/exports";
import { csvResponse } from "@/lib/api/csv-response";
import { clientIp } from "@/lib/http/client-ip";
import { DevicesExportQuerySchema } from "@/lib/validation/admin-lists";

/** GET /api/admin/export/devices.csv: every device (the peers list's filters: q, serverId, status) as CSV, streamed; recorded in the audit log. */
export const GET = withApi({ auth: "admin", query: DevicesExportQuerySchema }, async ({ req, actor, query }) =>
  csvResponse(await exportCsv(actor, "devices", query, { ip: clientIp(req.headers) }), "devices"),
);
