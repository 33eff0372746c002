import "server-only";
import { sql } from "drizzle-orm";
import { getDb, rows, type DbOrTx } from "@/db/client";
import { recordAudit } from "@/lib/audit";
import type { UserActor } from "@/lib/auth/actor";
import { verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import type { DeleteAccountInput } from "@/lib/validation/plans";
import { retirePreviousKeys } from "./previous-keys";
import { hit } from "./rate-limit";
import { checkSecondFactor } from "./two-factor";

/** Password attempts per account and quarter hour: a stolen session cannot guess its way to deleting the account. */
const ATTEMPTS_PER_WINDOW = 10;

/** The address a deleted account keeps: unique (its id), and in `.invalid`, which never routes (RFC 2606). */
export const deletedEmail = (userId: string) => `deleted-${userId}@deleted.invalid`;

type Account = { email: string; passwordHash: string | null; totpEnabled: boolean; totpSecretSealed: string | null; role: string; deleted: boolean };

const wrongCode = () => new AppError("validation_error", "The code is not correct", [{ path: "code", message: "The code is not correct" }]);

/**
 * Security-critical. "Delete my account", confirmed by the password and, with
 * two-factor on, a code. In one transaction, under the account's row lock
 * (which device creation takes first too, so a device being created either
 * commits before and is revoked here, or is refused after):
 * - every device is revoked: out of every server config at the next sync
 *   (the servers' config versions move on), addresses back to the pools,
 *   old keys in grace retired, private keys and device names wiped;
 * - personal data goes: the email becomes `deleted-<id>@deleted.invalid`,
 *   name, password hash, time zone and two-factor secrets are cleared; API
 *   tokens, one-time email tokens, recovery codes, share links, sign-in
 *   attempts and queued emails to the address are deleted; sessions end and
 *   forget their address and browser; client addresses are cleared from the
 *   usage records and from the audit lines of the account's own actions
 *   (the deletion's included), device snapshots from tickets;
 * - what stays, anonymised: tickets (subject, request, messages), usage and
 *   connection records, abuse incidents and the audit log, all tied to the
 *   id of an account that has no name, no address and cannot sign in;
 * - the live subscription is cancelled, a pending plan request withdrawn.
 * Everything is a fixed number of set-based statements, whatever the number
 * of devices. The last active administrator cannot delete their account.
 */
export async function deleteAccount(actor: UserActor, input: DeleteAccountInput, ip: string | null): Promise<void> {
  await hit({ key: `account-delete:user:${actor.id}`, max: ATTEMPTS_PER_WINDOW, windowSeconds: 900 });
  const db = await getDb();
  const [account] = await rows<Account>(
    db,
    sql`select email, password_hash as "passwordHash", totp_enabled_at is not null as "totpEnabled", totp_secret_sealed as "totpSecretSealed",
          role, deleted_at is not null as deleted
        from users where id = ${actor.id}`,
  );
  if (!account || account.deleted) throw new AppError("unauthenticated", "Sign in to continue");
  if (!(await verifyPassword(input.password, account.passwordHash))) {
    await recordAudit(db, actor, "account.delete_refused", { type: "user", id: actor.id }, { reason: "wrong_password" }, ip);
    throw new AppError("validation_error", "The password is not correct", [{ path: "password", message: "The password is not correct" }]);
  }
  if (account.totpEnabled && !input.code) {
    throw new AppError("validation_error", "Enter a code from your authenticator app", [{ path: "code", message: "Enter a code from your authenticator app (or a recovery code)" }]);
  }
  let codeRefused = false;
  await db
    .transaction(async (tx) => {
      await lockAccount(tx, actor, account.role === "admin");
      // The second factor as sign-in checks it (lib/services/two-factor), spent with the deletion or not at all.
      if (account.totpEnabled && !(await checkSecondFactor(tx, { id: actor.id, totpSecretSealed: account.totpSecretSealed }, input.code!)).ok) {
        codeRefused = true;
        throw wrongCode();
      }
      const summary = await eraseAccount(tx, actor.id, account.email);
      // Like every other line of the account's own actions, the deletion's keeps no client address.
      await recordAudit(tx, actor, "account.deleted", { type: "user", id: actor.id }, summary, null);
    })
    .catch(async (err) => {
      if (codeRefused) await recordAudit(db, actor, "account.delete_refused", { type: "user", id: actor.id }, { reason: "wrong_code" }, ip);
      throw err;
    });
}

/**
 * The account's row lock, re-checking that it still exists. An administrator
 * locks every administrator's row (in id order: two of them deleting at once
 * queue) and may go only while another active one stays.
 */
async function lockAccount(tx: DbOrTx, actor: UserActor, isAdmin: boolean): Promise<void> {
  if (isAdmin) {
    const admins = await rows<{ id: string; status: string }>(
      tx,
      sql`select id, status from users where role = 'admin' and deleted_at is null order by id for update`,
    );
    if (!admins.some((a) => a.id === actor.id)) throw new AppError("conflict", "This account changed meanwhile; reload and try again");
    if (!admins.some((a) => a.id !== actor.id && a.status === "active")) {
      throw new AppError("conflict", "You are the only administrator: make someone else an administrator before deleting your account");
    }
  }
  const [me] = await rows(tx, sql`select 1 from users where id = ${actor.id} and deleted_at is null for update`);
  if (!me) throw new AppError("conflict", "This account was already deleted");
}

/** Everything but the audit row, in the caller's transaction (after lockAccount). */
async function eraseAccount(tx: DbOrTx, userId: string, email: string): Promise<Record<string, number>> {
  // Devices before servers, as rotations and moves lock them: no deadlock with a rotation in progress.
  await tx.execute(sql`select id from wireguard_peers where user_id = ${userId} order by id for update`);
  await tx.execute(sql`select id from vpn_servers where id in (select server_id from wireguard_peers where user_id = ${userId}) order by id for update`);
  const [revoked] = await rows<{ devices: number }>(
    tx,
    sql`with revoked as (
          update wireguard_peers set status = 'revoked', revoked_at = now(), updated_at = now()
          where user_id = ${userId} and status = 'active'
          returning server_id, host_index
        ), bumped as (
          update vpn_servers s set config_version = s.config_version + 1
          where s.id in (select server_id from revoked)
          returning s.id, s.config_version
        ), released as (
          update ip_leases l set state = 'released', peer_id = null, released_version = b.config_version, updated_at = now()
          from revoked r join bumped b on b.id = r.server_id
          where l.server_id = r.server_id and l.host_index = r.host_index
          returning 1
        )
        select (select count(*) from revoked)::int as devices`,
  );
  const graceKeys = await retirePreviousKeys(tx, sql`peer_id in (select id from wireguard_peers where user_id = ${userId})`, "revoked");
  // The revoked rows stay for the usage records that name them; nothing on them says whose they were.
  await tx.execute(sql`update wireguard_peers set device_name = 'Deleted device', private_key_sealed = null, updated_at = now() where user_id = ${userId}`);
  await tx.execute(sql`update peer_live_stats set endpoint = null where peer_id in (select id from wireguard_peers where user_id = ${userId})`);
  await tx.execute(sql`update connection_sessions set client_ip = null, ended_at = coalesce(ended_at, last_seen_at) where user_id = ${userId}`);
  await tx.execute(sql`update traffic_samples set client_ip = null where user_id = ${userId} and client_ip is not null`);
  await tx.execute(sql`update support_tickets set metadata = metadata - 'deviceSnapshot' where user_id = ${userId} and metadata ? 'deviceSnapshot'`);
  // The audit log keeps what the account did, not where from: the client address of each of its own actions goes (audit_log_actor_idx).
  const [audit] = await rows<{ n: number }>(
    tx,
    sql`with cleared as (update audit_log set ip = null where actor_id = ${userId} and actor_kind = 'user' and ip is not null returning 1)
        select count(*)::int as n from cleared`,
  );

  await tx.execute(sql`update users set email = ${deletedEmail(userId)}, name = null, image = null, email_verified = null, password_hash = null,
      time_zone = null, status_reason = null, last_login_at = null, quota_blocked_until = null,
      totp_secret_sealed = null, totp_pending_sealed = null, totp_enabled_at = null, deleted_at = now(), updated_at = now()
    where id = ${userId}`);
  await tx.execute(sql`update user_sessions set ended_at = coalesce(ended_at, now()), ended_reason = coalesce(ended_reason, 'account_deleted'),
      ip = null, user_agent = null where user_id = ${userId}`);
  await tx.execute(sql`delete from api_tokens where user_id = ${userId}`);
  await tx.execute(sql`delete from email_tokens where user_id = ${userId}`);
  await tx.execute(sql`delete from user_recovery_codes where user_id = ${userId}`);
  await tx.execute(sql`delete from share_links where user_id = ${userId}`);
  await tx.execute(sql`delete from accounts where user_id = ${userId}`);
  await tx.execute(sql`delete from sessions where user_id = ${userId}`);
  await tx.execute(sql`delete from verification_tokens where lower(identifier) = lower(${email})`);
  await tx.execute(sql`delete from sign_in_attempts where user_id = ${userId} or lower(email) = lower(${email})`);
  await tx.execute(sql`delete from email_outbox where lower(to_address) = lower(${email})`);
  await tx.execute(sql`delete from ticket_presence where user_id = ${userId}`);
  await tx.execute(sql`update plan_change_requests set status = 'cancelled', decided_at = now() where user_id = ${userId} and status = 'pending'`);
  await tx.execute(sql`update subscriptions set status = 'cancelled', cancelled_at = now(), updated_at = now() where user_id = ${userId} and status <> 'cancelled'`);
  return { devicesRevoked: Number(revoked?.devices ?? 0), graceKeysRetired: graceKeys, auditAddressesCleared: Number(audit?.n ?? 0) };
}
