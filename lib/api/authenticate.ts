import "server-only";
import type { NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { getRuntimeSecrets } from "@/lib/runtime-secrets";
import { AppError } from "@/lib/errors";
import { tokenKind } from "@/lib/crypto/tokens";
import { authenticateApiToken } from "@/lib/dal/api-tokens";
import { loadUserActor } from "@/lib/dal/users";
import { authenticateAgentToken } from "@/lib/services/servers";
import type { AgentActor, UserActor } from "@/lib/auth/actor";

type Mode = "public" | "user" | "staff" | "admin" | "agent";

/**
 * Security-critical. Agent tokens (swa_) are accepted only where mode is
 * "agent", and only agent tokens are accepted there. Personal tokens (swp_)
 * and the session cookie act as their user, re-read from the database.
 */
export async function authenticateRequest(req: NextRequest, mode: Mode): Promise<UserActor | AgentActor | null> {
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
  if (bearer) {
    if (tokenKind(bearer) !== "swp") throw new AppError("unauthenticated", "Invalid token");
    user = await authenticateApiToken(bearer);
    if (!user) throw new AppError("unauthenticated", "Invalid or revoked token");
  } else {
    const userId = await sessionUserId(req);
    if (userId) user = await loadUserActor(userId);
  }

  if (mode === "public") return user;
  if (!user) throw new AppError("unauthenticated", "Sign in or send a personal API token");
  if (mode === "staff" && user.role === "user") throw new AppError("forbidden", "Support staff only");
  if (mode === "admin" && user.role !== "admin") throw new AppError("forbidden", "Administrators only");
  return user;
}

/** The session cookie's user id, read from the request itself (secure-prefixed cookie behind TLS, plain otherwise). */
async function sessionUserId(req: NextRequest): Promise<string | null> {
  if (!req.headers.get("cookie")) return null;
  const secret = getRuntimeSecrets().authSecret;
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req, secret, secureCookie });
    if (token?.sub) return token.sub;
  }
  return null;
}
