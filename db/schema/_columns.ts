import { sql } from "drizzle-orm";
import { text, timestamp } from "drizzle-orm/pg-core";

/** Shared column builders: uuid text ids and UTC timestamps. */
export const id = () =>
  text("id")
    .primaryKey()
    .default(sql`gen_random_uuid()::text`);

export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const createdAt = () => ts("created_at").notNull().defaultNow();
export const updatedAt = () => ts("updated_at").notNull().defaultNow();
