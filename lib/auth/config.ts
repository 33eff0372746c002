import type { NextAuthConfig } from "next-auth";
import type { Role, AccountStatus } from "@/db/schema/users";

/**
 * The part of the Auth.js configuration that needs no database: used by
 * proxy.ts for its optimistic redirect. Pages, actions and routes still check
 * authorization themselves against the database.
 */
export const PUBLIC_PATHS = ["/sign-in", "/sign-up", "/forgot-password", "/reset-password", "/verify-email", "/share", "/api", "/_next", "/favicon.ico", "/rate"];

/** The session cookie's lifetime, renewed while the browser keeps using it (lib/auth/session-claims.ts). */
export const SESSION_COOKIE_MAX_AGE = 30 * 24 * 60 * 60;

export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_COOKIE_MAX_AGE },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        const u = user as { id: string; role: Role; status: AccountStatus; sid?: string };
        token.sub = u.id;
        token.role = u.role;
        // The server-side session record (user_sessions) this cookie belongs to: without it the cookie opens nothing.
        token.sid = u.sid;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      (session.user as { role?: unknown }).role = token.role;
      return session;
    },
    authorized({ auth, request }) {
      const { pathname } = request.nextUrl;
      if (pathname === "/" || PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`))) return true;
      return !!auth?.user;
    },
  },
} satisfies NextAuthConfig;
