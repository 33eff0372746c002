import "server-only";
import type { NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { tokenKind } from "@/lib/crypto/tokens";
import { authenticateApiToken } from "@/lib/dal/api-tokens";
import { mustEnrolTwoFactorNow } from "@/lib/dal/two-factor";
import { readSessionClaims, sessionFromHeaders } from "@/lib/dal/sessions";
import { authenticateAgentToken } from "@/lib/services/servers";
import type { AgentActor, UserActor } from "@/lib/auth/actor";
import { authorize, roleCan } from "@/lib/auth/policy";

type Mode = "public" | "user" | "staff" | "admin" | "agent";

/**
 * Security-critical. Agent tokens (swa_) are accepted only where mode is
 * "agent", and only agent tokens are accepted there. Personal tokens (swp_)
 * and the session cookie act as their user, re-read from the database; the
 * cookie only while its session record is open (lib/dal/sessions.ts).
 */
export async function authenticateRequest(req: NextRequest, mode: Mode, opts: { duringTwoFactorSetup?: boolean } = {}): Promise<UserActor | AgentActor | null> {
  const header = req.headers.get("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (header && !bearer) throw new AppError("unauthenticated", "Malformed Authorization header");

  if (mode === "agent") {
    if (!bearer || tokenKind(bearer) !== "swa") throw new AppError("unauthenticated", "A valid agent token is required");
    const agent = await authenticateAgentToken(bearer);
    if (!agent) throw new AppError("unauthenticated", "A valid agent token is required");
    return agent;
  }

  let user: UserActor | null = null;
  let mustEnrol = false;
  if (bearer) {
    if (tokenKind(bearer) !== "swp") throw new AppError("unauthenticated", "Invalid token");
    user = await authenticateApiToken(bearer);
    if (!user) throw new AppError("unauthenticated", "Invalid or revoked token");
    mustEnrol = roleCan(user.role, "support.work") && (await mustEnrolTwoFactorNow(user.id));
  } else {
    const session = await sessionFromHeaders(req.headers);
    user = session?.actor ?? null;
    mustEnrol = !!session?.twoFactorSetupRequired;
  }
  // Staff without two-factor while admins require it: nothing but the enrolment routes, whichever credential
  // (a public route sees them as signed out).
  if (mustEnrol && mode === "public") return null;
  if (mustEnrol && !opts.duringTwoFactorSetup) {
    throw new AppError("two_factor_required", "Two-factor sign-in is required for staff accounts: set it up first (POST /api/me/2fa/setup, then /api/me/2fa/enable)");
  }

  if (mode === "public") return user;
  if (!user) throw new AppError("unauthenticated", "Sign in or send a personal API token");
  if (mode === "staff") authorize(user, "support.work");
  if (mode === "admin") authorize(user, "admin.view");
  return user;
}

/**
 * The session a request is made from, for the handlers that must tell "this
 * device" apart: null when an Authorization header is sent, since the
 * request then acts through its token and not through the cookie.
 */
export async function currentSessionId(req: NextRequest): Promise<string | null> {
  if (req.headers.get("authorization")) return null;
  return (await readSessionClaims(req.headers))?.sessionId ?? null;
}
