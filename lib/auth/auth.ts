import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./config";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { SignInSchema } from "@/lib/validation/account";
import { verifyCredentials } from "@/lib/services/sign-in";
import { clientIp } from "@/lib/http/client-ip";
import { log } from "@/lib/log";

class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

/** Full Auth.js: credentials checked against the database. Lazily configured so the secret is read at run time, not at build. */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: getRuntimeSecrets().authSecret,
  logger: {
    // A failed sign-in is an expected outcome (recorded in sign_in_attempts), not an error with a stack.
    error(error: Error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      log.error("auth.error", { error: `${error.name}: ${error.message}` });
    },
    warn(code: string) {
      log.warn("auth.warning", { code });
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = SignInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const result = await verifyCredentials(parsed.data.email, parsed.data.password, clientIp(request.headers));
        if (!result.ok) {
          if (result.reason === "rate_limited") throw new RateLimited();
          return null;
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role };
      },
    }),
  ],
}));
