import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth/session";
import { ACCOUNT_STATUSES, ROLES, listUsersForAdmin, type AccountStatus, type Role } from "@/lib/dal/admin-users";
import { AppError } from "@/lib/errors";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { buttonClasses } from "@/components/ui/button";
import { UserFilters } from "./_components/user-filters";
import { UsersTable } from "./_components/users-table";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);

export default async function AdminUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requirePermission("users.manage");
  const sp = await searchParams;
  const q = one(sp.q)?.slice(0, 254);
  const role = ROLES.find((r) => r === one(sp.role)) as Role | undefined;
  const status = ACCOUNT_STATUSES.find((s) => s === one(sp.status)) as AccountStatus | undefined;
  const cursor = one(sp.cursor);

  let result;
  try {
    result = await listUsersForAdmin(admin, { q, role, status, cursor });
  } catch (err) {
    // A mangled page link: start again from the first page with the same filters.
    if (err instanceof AppError && err.code === "validation_error" && cursor) {
      const keep = new URLSearchParams(Object.entries({ q, role, status }).filter((e): e is [string, string] => !!e[1]));
      redirect(`/admin/users${keep.size ? `?${keep}` : ""}`);
    }
    throw err;
  }

  const exportQuery = new URLSearchParams(Object.entries({ q, role, status }).filter((e): e is [string, string] => !!e[1])).toString();

  return (
    <>
      <PageHeader
        title="Users"
        description="Every account, newest first. Change a role, or suspend or ban an account with a reason."
        actions={
          <a href={`/api/admin/export/users.csv${exportQuery ? `?${exportQuery}` : ""}`} download className={buttonClasses("secondary", "md")} data-testid="export-users">
            {q || role || status ? "Export these users (CSV)" : "Export all users (CSV)"}
          </a>
        }
      />
      <Card>
        <CardBody className="border-b border-slate-200 dark:border-slate-800">
          <UserFilters q={q} role={role} status={status} />
        </CardBody>
        {result.items.length === 0 ? (
          <EmptyState title="No users found">{q || role || status ? "No account matches these filters." : "There are no accounts yet."}</EmptyState>
        ) : (
          <UsersTable users={result.items} selfId={admin.id} />
        )}
        <Pagination basePath="/admin/users" params={{ q, role, status }} nextCursor={result.nextCursor} hasCursor={!!cursor} />
      </Card>
    </>
  );
}
