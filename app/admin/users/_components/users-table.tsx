import Link from "next/link";
import type { AdminUserDto } from "@/lib/dal/admin-users";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { ChangeRoleDialog } from "./change-role-dialog";
import { ChangeStatusDialog } from "./change-status-dialog";
import { ROLE_LABELS, STATUS_LABELS, STATUS_TONES } from "./labels";

export function UsersTable({ users, selfId }: { users: AdminUserDto[]; selfId: string }) {
  return (
    <Table label="Users">
      <thead>
        <tr>
          <Th>Email</Th>
          <Th>Name</Th>
          <Th>Role</Th>
          <Th>Status</Th>
          <Th>Created</Th>
          <Th>Last sign-in</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.id} data-testid="user-row">
            <Td className="font-medium">
              <Link href={`/admin/users/${u.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                {u.email}
              </Link>
            </Td>
            <Td>{u.name ?? "—"}</Td>
            <Td>{ROLE_LABELS[u.role]}</Td>
            <Td>
              <div className="flex flex-col gap-1">
                <Badge tone={STATUS_TONES[u.status]} className="self-start">
                  {STATUS_LABELS[u.status]}
                </Badge>
                {u.statusReason && u.status !== "active" ? (
                  <span className="block max-w-48 whitespace-normal text-xs text-slate-600 dark:text-slate-400">{u.statusReason}</span>
                ) : null}
              </div>
            </Td>
            <Td>
              <DateTime value={u.createdAt} />
            </Td>
            <Td>
              <DateTime value={u.lastLoginAt} fallback="Never" />
            </Td>
            <Td>
              {u.id === selfId ? (
                <span className="text-xs text-slate-500 dark:text-slate-400">You</span>
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
