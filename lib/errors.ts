/** Errors that services raise on purpose; the API wrapper and actions map them to API.md's shape. */
export type ErrorCode =
  | "validation_error"
  | "unauthenticated"
  | "forbidden"
  | "email_not_verified"
  | "two_factor_required"
  | "not_found"
  | "conflict"
  | "device_limit_reached"
  | "pool_exhausted"
  | "duplicate_name"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable"
  | "internal_error";

const STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  unauthenticated: 401,
  forbidden: 403,
  /** SIGNUP_MODE=verify: the account has not confirmed its address yet (creating a device). */
  email_not_verified: 403,
  /** Two-factor is required for staff and this account has not enrolled yet: only the enrolment routes answer. */
  two_factor_required: 403,
  not_found: 404,
  conflict: 409,
  device_limit_reached: 409,
  pool_exhausted: 409,
  duplicate_name: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal_error: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }
}

export const notFound = (what = "Resource") => new AppError("not_found", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") => new AppError("forbidden", message);
export const validation = (message: string, details?: unknown) => new AppError("validation_error", message, details);
