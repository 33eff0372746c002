import { createHash, randomBytes } from "node:crypto";

/**
 * Bearer tokens: a typed prefix and 32 random bytes. Only the SHA-256 of a
 * token is stored (the token has 256 bits of entropy, so a slow hash adds
 * nothing); the token itself is shown once.
 */
export type TokenKind = "swp" | "swa";

export function generateToken(kind: TokenKind): string {
  return `${kind}_${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export const TOKEN_REGEX = /^(swp|swa)_[A-Za-z0-9_-]{43}$/;

export function tokenKind(token: string): TokenKind | null {
  return TOKEN_REGEX.test(token) ? (token.slice(0, 3) as TokenKind) : null;
}
