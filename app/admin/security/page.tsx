import type { Metadata } from "next";
import Link from "next/link";
import { requirePermission } from "@/lib/auth/session";
import { isStaffTwoFactorRequired, listStaffTwoFactor } from "@/lib/dal/two-factor";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { StaffTwoFactorForm } from "./_components/staff-two-factor-form";

export const metadata: Metadata = { title: "Security" };

const ROLE = { admin: "Administrator", agent: "Support agent", user: "User" } as const;

/** Sign-in rules for staff: whether two-factor is required, and who has it. */
export default async function AdminSecurityPage() {
  const admin = await requirePermission("users.manage");
  const [required, staff] = await Promise.all([isStaffTwoFactorRequired(), listStaffTwoFactor(admin)]);
  const without = staff.filter((s) => !s.twoFactorEnabled).length;
  return (
    <>
      <PageHeader title="Security" description="How staff accounts (support agents and administrators) sign in." />
      <div className="space-y-6">
        <Card aria-labelledby="staff-2fa-title">
          <CardHeader
            title={
              <span id="staff-2fa-title" className="flex flex-wrap items-center gap-2">
                Two-factor sign-in for staff
                {required ? <Badge tone="success">Required</Badge> : <Badge tone="neutral">Optional</Badge>}
              </span>
            }
            description="When required, a staff member without two-factor is sent to set it up after signing in, and can do nothing else until it is done (their API calls answer 403 two_factor_required)."
          />
          <CardBody className="space-y-3">
            <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="staff-without-2fa">
              {without === 0 ? "Every staff member has two-factor sign-in." : `${without} of ${staff.length} staff members have no two-factor sign-in yet.`}
            </p>
            <StaffTwoFactorForm required={required} />
          </CardBody>
        </Card>
        <Card aria-labelledby="staff-list-title">
          <CardHeader title={<span id="staff-list-title">Staff</span>} description="Reset a lost authenticator from the person's page." />
          <Table label="Staff and their two-factor sign-in">
            <thead>
              <tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Two-factor</Th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.id} data-testid="staff-row">
                  <Td>
                    <Link href={`/admin/users/${s.id}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
                      {s.email}
                    </Link>
                  </Td>
                  <Td>{ROLE[s.role]}</Td>
                  <Td>{s.twoFactorEnabled ? <Badge tone="success">On</Badge> : <Badge tone="warning">Off</Badge>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      </div>
    </>
  );
}
