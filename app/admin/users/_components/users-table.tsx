import Link from "next/link";
import type { AdminUserDto } from "@/lib/dal/admin-users";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { ChangeRoleDialog } from "./change-role-dialog";
import { ChangeStatusDialog } from "./change-status-dialog";
import { ROLE_LABELS, STATUS_LABELS, STATUS_TONES } from "./labels";

/**
 * Five columns that fit the admin area's width at desktop sizes with room to
 * spare, whatever the addresses: the account (email, which wraps anywhere
 * past 18rem, and the name under it), role, status with its reason, activity
 * (last sign-in, and when the account was created under it) and the two
 * actions. On a phone the region scrolls sideways and shades the edge that
 * has more (`.scroll-hint`).
 */
export function UsersTable({ users, selfId }: { users: AdminUserDto[]; selfId: string }) {
  return (
    <Table label="Users" className="scroll-hint">
      <thead>
        <tr>
          <Th>Account</Th>
          <Th>Role</Th>
          <Th>Status</Th>
          <Th>Last sign-in</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row" data-user-id={u.id}>
            <Td>
              <div className="max-w-72 min-w-40 whitespace-normal [overflow-wrap:anywhere]">
                <Link href={`/admin/users/${u.id}`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                  {u.email}
                </Link>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{u.name ?? "No name given"}</span>
              </div>
            </Td>
            <Td className="whitespace-nowrap">{ROLE_LABELS[u.role]}</Td>
            <Td>
              <div className="flex flex-col gap-1">
                <Badge tone={STATUS_TONES[u.status]} className="self-start">
                  {STATUS_LABELS[u.status]}
                </Badge>
                {u.statusReason && u.status !== "active" ? (
                  <span className="block max-w-48 whitespace-normal text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-400">{u.statusReason}</span>
                ) : null}
              </div>
            </Td>
            <Td>
              <DateTime value={u.lastLoginAt} fallback="Never" />
              <span className="block text-xs text-slate-600 dark:text-slate-400">
                Joined <DateTime value={u.createdAt} />
              </span>
            </Td>
            <Td>
              {u.id === selfId ? (
                <span className="text-xs text-slate-600 dark:text-slate-400">You</span>
              ) : (
                <div className="flex gap-2">
                  <ChangeRoleDialog userId={u.id} email={u.email} role={u.role} />
                  <ChangeStatusDialog userId={u.id} email={u.email} status={u.status} />
                </div>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
