import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { authConfig } from "./config";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { SignInSchema } from "@/lib/validation/account";
import { verifyCredentials } from "@/lib/services/sign-in";
import { endSignedOutSession, startSession } from "@/lib/services/sessions";
import { clientIp } from "@/lib/http/client-ip";
import { describeError, log } from "@/lib/log";

class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

/** The password was right; the account has two-factor and no code came with it: ask for one (the sign-in page's second step). */
class TwoFactorRequired extends CredentialsSignin {
  code = "two_factor_required";
}

/** The password was right and the code was not. */
class InvalidCode extends CredentialsSignin {
  code = "invalid_code";
}

/** Full Auth.js: credentials checked against the database. Lazily configured so the secret is read at run time, not at build. */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: getRuntimeSecrets().authSecret,
  logger: {
    // A failed sign-in is an expected outcome (recorded in sign_in_attempts), not an error with a stack.
    error(error: Error) {
      if (error.name === "CredentialsSignin" || (error as { type?: string }).type === "CredentialsSignin") return;
      log.error("auth.error", { type: (error as { type?: string }).type, ...describeError((error.cause as { err?: unknown } | undefined)?.err ?? error) });
    },
    warn(code: string) {
      log.warn("auth.warning", { code });
    },
  },
  events: {
    // Auth.js's own POST /api/auth/signout (and the app's sign-out, which ends the record first) land here with the decoded cookie.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sub) await endSignedOutSession({ userId: token.sub, sessionId: typeof token.sid === "string" ? token.sid : null }, null);
    },
  },
  providers: [
    Credentials({
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        code: { label: "Two-factor code", type: "text" },
      },
      async authorize(credentials, request) {
        const parsed = SignInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const ip = clientIp(request.headers);
        const result = await verifyCredentials(parsed.data.email, parsed.data.password, ip, parsed.data.code);
        if (!result.ok) {
          if (result.reason === "rate_limited") throw new RateLimited();
          if (result.reason === "two_factor_required") throw new TwoFactorRequired();
          if (result.reason === "invalid_code") throw new InvalidCode();
          return null;
        }
        // The cookie carries this record's id; every request checks the record (lib/dal/sessions.ts).
        const sid = await startSession(result.user.id, { userAgent: request.headers.get("user-agent"), ip });
        return { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role, sid };
      },
    }),
  ],
}));
