import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The PostgreSQL server the browser suite's multi-process specs use (a database of their own on it). */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface ThrowawayDatabase {
  name: string;
  /** The database's URL on the server of ADMIN_URL. */
  url: URL;
  /** Drops it, connections and all, and closes the admin connection. */
  drop: () => Promise<void>;
}

/** A fresh database named `<prefix>_<random>`, or null when no PostgreSQL server answers (the spec then skips). */
export async function throwawayDatabase(prefix: string): Promise<ThrowawayDatabase | null> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch {
    await admin.end();
    return null;
  }
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url,
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
