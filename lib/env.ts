import { z } from "zod";
import { isCidr, isIpv4, isIpv6 } from "@/lib/wireguard/addresses";

/**
 * The only reader of process.env. Every setting of the configuration table in
 * the README is declared and validated here; a bad value stops start-up with a
 * message naming the variable.
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const num = (def: number, min = 0) => z.coerce.number().min(min).default(def);
const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));
const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const base64Key = optional.refine(
  (v) => v === undefined || Buffer.from(v, "base64").length === 32,
  "must be 32 random bytes in base64 (openssl rand -base64 32)",
);

/**
 * Security-critical: whose word on a client's address the app takes
 * (lib/http/client-ip.ts). Unset: nobody's, the TCP peer is the client; a
 * number: that many proxies in front of the app, each appending to
 * X-Forwarded-For; otherwise the proxies' addresses or CIDR ranges.
 */
const trustedProxies = optional.transform(
  (v, ctx): { kind: "none" } | { kind: "hops"; hops: number } | { kind: "cidrs"; cidrs: string[] } => {
    if (v === undefined) return { kind: "none" };
    if (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 16) return { kind: "hops", hops: Number(v) };
    const cidrs = v.split(",").map((p) => p.trim());
    if (!/^\d+$/.test(v) && cidrs.every((c) => isCidr(c) || isIpv4(c) || isIpv6(c))) return { kind: "cidrs", cidrs };
    ctx.addIssue({
      code: "custom",
      message: "must be a number of proxy hops (1-16) or a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.0/8,fd00::/8",
    });
    return z.NEVER;
  },
);

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optional.refine(
    (v) => v === undefined || /^(postgres(ql)?:\/\/|memory:\/\/|file:|\/|\.{1,2}\/)/.test(v) || !v.includes("://"),
    "must be postgres://…, memory://, file:/dir or a directory path",
  ),
  DATA_DIR: z.string().default("./.data"),
  AUTH_SECRET: optional.refine((v) => v === undefined || v.length >= 32, "must be at least 32 characters"),
  ENCRYPTION_KEY: base64Key,
  ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1-32 of [A-Za-z0-9_-]").default("k1"),
  ENCRYPTION_KEYS_OLD: optional.refine(
    (v) =>
      v === undefined ||
      v.split(",").every((p) => {
        const [id, key] = p.split(":");
        return !!id && !!key && Buffer.from(key, "base64").length === 32;
      }),
    "must be id:base64key pairs separated by commas",
  ),
  APP_URL: z.string().url().default("http://localhost:3000"),
  RESEND_API_KEY: optional,
  EMAIL_FROM: z.string().default("SecureWave <no-reply@securewave.test>"),
  INNGEST_EVENT_KEY: optional,
  INNGEST_SIGNING_KEY: optional,
  INNGEST_DEV: flag,
  METRICS_TOKEN: optional,
  TRUSTED_PROXIES: trustedProxies,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  SHUTDOWN_TIMEOUT_MS: int(25_000),
  /** A job run whose heartbeat (every 15 s) has been silent this long is closed as interrupted; at least two beats. */
  JOB_STALE_AFTER_SECONDS: int(120, 30),

  DEFAULT_DEVICE_LIMIT: int(5, 1),
  DEFAULT_KEY_ROTATION_DAYS: int(90, 1),
  KEY_ROTATION_GRACE_DAYS: int(7, 0),
  /** Bounds of the rotation interval an owner may give a device (PATCH /api/vpn/peers/:id). */
  ROTATION_INTERVAL_MIN_DAYS: int(1, 1),
  ROTATION_INTERVAL_MAX_DAYS: int(365, 1),
  IP_POOL_START: z
    .string()
    .regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/, "must be the first three octets, e.g. 10.8.0")
    .default("10.8.0"),
  /**
   * The last host of the default IPv4 pool (IP_POOL_START.1 is the server,
   * .0 the network, END + 1 the broadcast), so it names an aligned block:
   * 254 → /24, 126 → /25 … 6 → /29.
   */
  IP_POOL_END: int(254, 6).pipe(
    z
      .number()
      .max(254)
      .refine((v) => Number.isInteger(Math.log2(v + 2)), "must be the last host of an aligned block: 254 (/24), 126 (/25), 62 (/26), 30 (/27), 14 (/28) or 6 (/29)"),
  ),
  DEFAULT_IPV6_POOL: z.string().default("fd42:8:0:1::/64"),
  DEFAULT_DNS: z.string().default("1.1.1.1, 1.0.0.1"),
  TELEMETRY_RETENTION_DAYS: int(90, 1),
  /** Memory per sort or hash of the analytics jobs' statements, in MB (PostgreSQL's work_mem for them only). */
  ANALYTICS_WORK_MEM_MB: int(256, 4),
  /** Statements a rollup over every user runs at once on PostgreSQL, each over a share of the users (PGlite: one). */
  ANALYTICS_PARALLELISM: int(2, 1).pipe(z.number().max(16)),

  EXCESSIVE_BANDWIDTH_GB_PER_DAY: num(500),
  RAPID_RECONNECT_COUNT: int(50, 1),
  MAX_CONCURRENT_CONNECTIONS: int(5, 1),
  SUSPICIOUS_TRAFFIC_RATIO: num(10, 1),
  SUSPICIOUS_TRAFFIC_MIN_MB: num(100),
  ACCOUNT_SHARING_THRESHOLD: int(3, 1),
  ABUSE_AUTO_SUSPEND: z.string().default(""),
  /** Incident types whose high or critical incidents throttle the user's devices automatically (comma-separated; empty: never). */
  ABUSE_AUTO_THROTTLE: z.string().default(""),
  /** The automatic throttle's rate, kbit/s (1 kbit = 1000 bits), and how long it lasts. */
  ABUSE_AUTO_THROTTLE_KBIT: int(1000, 8).pipe(z.number().max(10_000_000)),
  ABUSE_AUTO_THROTTLE_HOURS: int(24, 1).pipe(z.number().max(720)),

  SLA_LOW_RESPONSE: num(48),
  SLA_MEDIUM_RESPONSE: num(24),
  SLA_HIGH_RESPONSE: num(4),
  SLA_URGENT_RESPONSE: num(1),
  SLA_LOW_RESOLUTION: num(168),
  SLA_MEDIUM_RESOLUTION: num(72),
  SLA_HIGH_RESOLUTION: num(24),
  SLA_URGENT_RESOLUTION: num(4),

  SIGNIN_MAX_FAILURES: int(5, 1),
  SIGNIN_LOCKOUT_MINUTES: int(15, 1),
  /** Who may create an account at /sign-up: anyone (open), anyone who confirms their address before adding a device (verify), nobody (closed; admins still can). */
  SIGNUP_MODE: z.enum(["open", "verify", "closed"], { message: "must be open, verify or closed" }).default("open"),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty variable counts as unset, as in most shells' and orchestrators' conventions.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if (env.ROTATION_INTERVAL_MIN_DAYS > env.ROTATION_INTERVAL_MAX_DAYS) {
    throw new EnvError("Invalid environment configuration:\n  ROTATION_INTERVAL_MIN_DAYS: must not be greater than ROTATION_INTERVAL_MAX_DAYS");
  }
  if (isPostgresUrl(env.DATABASE_URL)) {
    const missing = (["AUTH_SECRET", "ENCRYPTION_KEY"] as const).filter((k) => !env[k]);
    if (missing.length) {
      throw new EnvError(
        `Invalid environment configuration:\n${missing.map((k) => `  ${k}: required with PostgreSQL`).join("\n")}`,
      );
    }
  }
  return env;
}

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

const globalEnv = globalThis as unknown as { __swEnv?: Env };

export function getEnv(): Env {
  globalEnv.__swEnv ??= parseEnv(process.env);
  return globalEnv.__swEnv;
}

/** Tests change settings per case; production never calls this. */
export function resetEnv(overrides?: Record<string, string | undefined>): Env {
  if (overrides) for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  globalEnv.__swEnv = undefined;
  return getEnv();
}

export function isInngestConfigured(env: Env = getEnv()): boolean {
  return !!(env.INNGEST_EVENT_KEY || env.INNGEST_SIGNING_KEY || env.INNGEST_DEV);
}
