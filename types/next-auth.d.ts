import type { Role } from "@/db/schema/users";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name?: string | null; role?: Role };
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    role?: Role;
    /** The id of the user_sessions row: checked on every request. */
    sid?: string;
  }
}
