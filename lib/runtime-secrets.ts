import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { getEnv, isPostgresUrl, EnvError } from "@/lib/env";

/**
 * AUTH_SECRET and ENCRYPTION_KEY: taken from the environment; with the
 * embedded database, generated once into DATA_DIR/secrets.json (mode 0600) so
 * `npm run dev` needs no setup; with PostgreSQL they are required (the
 * instances of a cluster must share them).
 */
type Secrets = { authSecret: string; encryptionKey: string };
const g = globalThis as unknown as { __swSecrets?: Secrets };

function generated(): Secrets {
  return { authSecret: randomBytes(32).toString("base64url"), encryptionKey: randomBytes(32).toString("base64") };
}

function loadOrCreateFile(dir: string): Secrets {
  const file = path.join(dir, "secrets.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Secrets;
  } catch {
    fs.mkdirSync(dir, { recursive: true });
    const secrets = generated();
    try {
      fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600, flag: "wx" });
      return secrets;
    } catch {
      // Another process wrote it first: use theirs.
      return JSON.parse(fs.readFileSync(file, "utf8")) as Secrets;
    }
  }
}

export function getRuntimeSecrets(): Secrets {
  if (g.__swSecrets) return g.__swSecrets;
  const env = getEnv();
  let fallback: Secrets | undefined;
  if (!env.AUTH_SECRET || !env.ENCRYPTION_KEY) {
    if (isPostgresUrl(env.DATABASE_URL)) {
      throw new EnvError("AUTH_SECRET and ENCRYPTION_KEY are required with PostgreSQL");
    }
    fallback = env.DATABASE_URL?.startsWith("memory://") ? generated() : loadOrCreateFile(path.resolve(env.DATA_DIR));
  }
  g.__swSecrets = {
    authSecret: env.AUTH_SECRET ?? fallback!.authSecret,
    encryptionKey: env.ENCRYPTION_KEY ?? fallback!.encryptionKey,
  };
  return g.__swSecrets;
}

export function resetRuntimeSecrets(): void {
  g.__swSecrets = undefined;
}
