import "server-only";
import { ne } from "drizzle-orm";
import { users } from "@/db/schema";

/**
 * Security-critical: "a banned account opens nothing", stated once for every
 * credential (session cookie, personal token). It goes into the where clause
 * of the query that reads the account behind the credential, so a ban takes
 * effect on the next request whichever way the request is signed.
 */
export const accountMayAuthenticate = () => ne(users.status, "banned");
