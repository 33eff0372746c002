import { z } from "zod";
import { ACCOUNT_STATUSES, ROLES } from "@/db/schema/users";
import { PEER_STATUSES } from "@/db/schema/vpn";
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES } from "@/lib/abuse/types";
import { blankAsAbsent, IdSchema } from "./ids";

/**
 * The query strings of the admin lists and CSV exports. An empty field (a
 * filter form left at "All") counts as absent, at every door.
 */
export const PEER_LIST_STATUSES = [...PEER_STATUSES, "online", "offline"] as const;

const SearchText = z.string().trim().max(200, "Search with at most 200 characters");
const Cursor = z.string().min(1).max(300);

const peerFilters = {
  q: blankAsAbsent(SearchText),
  serverId: blankAsAbsent(IdSchema),
  status: blankAsAbsent(z.enum(PEER_LIST_STATUSES)),
};

/** GET /api/admin/peers?q=&serverId=&status=&limit=&cursor= */
export const AdminPeersQuerySchema = z
  .object({ ...peerFilters, limit: z.coerce.number().int().min(1).max(200).default(50), cursor: blankAsAbsent(Cursor) })
  .strict();
export type AdminPeersQuery = z.infer<typeof AdminPeersQuerySchema>;

/** GET /api/admin/export/devices.csv: the peers list's filters. */
export const DevicesExportQuerySchema = z.object(peerFilters).strict();

/** GET /api/admin/export/users.csv: the users list's filters. */
export const UsersExportQuerySchema = z
  .object({
    q: blankAsAbsent(z.string().trim().max(254)),
    role: blankAsAbsent(z.enum(ROLES)),
    status: blankAsAbsent(z.enum(ACCOUNT_STATUSES)),
  })
  .strict();

/** GET /api/admin/export/incidents.csv: the abuse queue's filters. */
export const IncidentsExportQuerySchema = z
  .object({
    status: blankAsAbsent(z.enum(INCIDENT_STATUSES)),
    type: blankAsAbsent(z.enum(INCIDENT_TYPES)),
    severity: blankAsAbsent(z.enum(SEVERITIES)),
  })
  .strict();
