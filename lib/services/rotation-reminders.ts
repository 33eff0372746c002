import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows } from "@/db/client";
import { enqueueEmail, notifyOutbox } from "@/lib/email/outbox";
import { rotationReminderEmail } from "@/lib/email/templates/rotation";

/**
 * Bring-your-own-key devices are never rotated by the server. When one is
 * due, its owner is reminded once per due date (the stamp is cleared by the
 * next rotation), in one statement that claims the devices and one email each.
 */
export async function remindDueByokPeers(now: Date = new Date()): Promise<number> {
  const db = await getDb();
  const count = await db.transaction(async (tx) => {
    const due = await rows<{ email: string; device_name: string }>(
      tx,
      sql`update wireguard_peers p set rotation_reminded_at = ${now.toISOString()}::timestamptz
          from users u
          where u.id = p.user_id and u.status <> 'banned' and p.status = 'active' and p.private_key_sealed is null
            and p.next_key_rotation_at <= ${now.toISOString()}::timestamptz and p.rotation_reminded_at is null
          returning u.email, p.device_name`,
    );
    for (const d of due) await enqueueEmail(tx, d.email, rotationReminderEmail({ deviceName: d.device_name }));
    return due.length;
  });
  if (count) await notifyOutbox();
  return count;
}
