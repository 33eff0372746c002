import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";

/**
 * An optimistic redirect of signed-out visitors to /sign-in. Not a security
 * boundary: every page, action and route handler checks authorization itself.
 */
const { auth } = NextAuth(() => ({ ...authConfig, secret: getRuntimeSecrets().authSecret }));

export default auth;

export const config = {
  matcher: ["/((?!api|_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|css|js)$).*)"],
};
