import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";

/**
 * Security-critical. Two-factor sign-in with TOTP (RFC 6238: SHA-1, six
 * digits, 30-second steps, what every authenticator app reads), through
 * otplib rather than hand-written HMAC code. A code is accepted one step
 * either side of now (clock drift); the step it matched is returned so the
 * caller can refuse the same code twice.
 */
export const TOTP_ISSUER = "SecureWave";
const PERIOD = 30;

/** A new shared secret: 20 random bytes, base32, as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// address a QR code carries (issuer and account shown by the app). */
export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: account, secret });
}

/** Six digits, spaces allowed ("123 456"). Anything else is not a TOTP code (it may be a recovery code). */
export function normaliseTotpCode(code: string): string | null {
  const digits = code.replace(/\s+/g, "");
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The time step a code matched (±1 step of now), or null. */
export async function matchTotp(secret: string, code: string, now: Date = new Date()): Promise<number | null> {
  const token = normaliseTotpCode(code);
  if (!token) return null;
  try {
    const result = await verify({ secret, token, epochTolerance: PERIOD, epoch: Math.floor(now.getTime() / 1000) });
    return result.valid && "timeStep" in result ? result.timeStep : null;
  } catch {
    // A malformed secret or token: not a match.
    return null;
  }
}

/** The start of a time step, for storing which step was used last. */
export const stepStart = (timeStep: number): Date => new Date(timeStep * PERIOD * 1000);

/**
 * Recovery codes: 64 random bits each, shown as four groups of four hex
 * digits. Stored as a SHA-256 hash: with 64 bits of entropy a slow hash adds
 * nothing, and the lookup by hash needs no comparison of the code itself.
 */
export const RECOVERY_CODE_COUNT = 10;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => randomBytes(8).toString("hex").replace(/(.{4})(?!$)/g, "$1-"));
}

/** A recovery code as typed (any case, spaces or dashes), or null when it cannot be one. */
export function normaliseRecoveryCode(code: string): string | null {
  const hex = code.toLowerCase().replace(/[\s-]+/g, "");
  return /^[0-9a-f]{16}$/.test(hex) ? hex : null;
}

export function hashRecoveryCode(code: string): string | null {
  const normal = normaliseRecoveryCode(code);
  return normal ? createHash("sha256").update(normal).digest("hex") : null;
}
