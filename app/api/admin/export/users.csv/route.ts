import { withApi } from "@/lib/api/handler";
import { exportCsv } from "@/lib/dal/exports";
import { csvResponse } from "@/lib/api/csv-response";
import { clientIp } from "@/lib/http/client-ip";
import { UsersExportQuerySchema } from "@/lib/validation/admin-lists";

/** GET /api/admin/export/users.csv: the accounts (the users list's filters: q, role, status) as CSV, streamed; recorded in the audit log. */
export const GET = withApi({ auth: "admin", query: UsersExportQuerySchema }, async ({ req, actor, query }) =>
  csvResponse(await exportCsv(actor, "users", query, { ip: clientIp(req.headers) }), "users"),
);
