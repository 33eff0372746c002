import { withApi } from "@/lib/api/handler";
import { conditionalJson } from "@/lib/api/conditional";
import { getQueueVersion } from "@/lib/services/support";

/** Staff: `{version}` of the active queue, which changes with any active ticket (ETag/304); the queue page polls it. */
export const GET = withApi({ auth: "staff" }, async ({ req, actor }) => conditionalJson(req, { version: await getQueueVersion(actor) }));
