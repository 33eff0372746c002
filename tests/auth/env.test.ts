import { describe, expect, it } from "vitest";
import { parseEnv, EnvError } from "@/lib/env";

describe("environment", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv({});
    expect(env.DEFAULT_DEVICE_LIMIT).toBe(5);
    expect(env.DEFAULT_KEY_ROTATION_DAYS).toBe(90);
    expect(env.EXCESSIVE_BANDWIDTH_GB_PER_DAY).toBe(500);
    expect(env.RAPID_RECONNECT_COUNT).toBe(50);
    expect(env.MAX_CONCURRENT_CONNECTIONS).toBe(5);
    expect(env.SUSPICIOUS_TRAFFIC_RATIO).toBe(10);
    expect(env.ACCOUNT_SHARING_THRESHOLD).toBe(3);
    expect([env.SLA_LOW_RESPONSE, env.SLA_MEDIUM_RESPONSE, env.SLA_HIGH_RESPONSE, env.SLA_URGENT_RESPONSE]).toEqual([48, 24, 4, 1]);
    expect(env.ENCRYPTION_KEY_ID).toBe("k1");
    expect(env.APP_URL).toBe("http://localhost:3000");
    expect(env.IP_POOL_START).toBe("10.8.0");
  });

  it("names the bad variable", () => {
    expect(() => parseEnv({ DEFAULT_DEVICE_LIMIT: "lots" })).toThrow(/DEFAULT_DEVICE_LIMIT/);
    expect(() => parseEnv({ ENCRYPTION_KEY: "short" })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes/);
    expect(() => parseEnv({ APP_URL: "not a url" })).toThrow(/APP_URL/);
    expect(() => parseEnv({ SLA_HIGH_RESPONSE: "-1" })).toThrow(EnvError);
  });

  it("requires the secrets with PostgreSQL", () => {
    expect(() => parseEnv({ DATABASE_URL: "postgres://u@h/db" })).toThrow(/AUTH_SECRET: required with PostgreSQL[\s\S]*ENCRYPTION_KEY: required/);
    expect(() =>
      parseEnv({ DATABASE_URL: "postgres://u@h/db", AUTH_SECRET: "x".repeat(32), ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") }),
    ).not.toThrow();
  });
});
