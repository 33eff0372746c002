import { withApi } from "@/lib/api/handler";
import { listPeersForAdmin } from "@/lib/dal/admin-peers";
import { AdminPeersQuerySchema } from "@/lib/validation/admin-lists";

/**
 * GET /api/admin/peers?q=&serverId=&status=&limit=&cursor= → {items, nextCursor}: every account's devices,
 * newest first, with owner email, device name, addresses, public key, status and last handshake.
 * `q` is a whole address or public key (exact), or the start of an email, a device name, a key or an address.
 */
export const GET = withApi({ auth: "admin", query: AdminPeersQuerySchema }, ({ actor, query }) => listPeersForAdmin(actor, query));
