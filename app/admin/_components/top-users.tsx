import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { formatBytes, formatCount } from "@/components/charts/format";
import type { AdminDashboard } from "./types";

type TopUser = AdminDashboard["topUsersByData"][number];

/** The ten heaviest users by one measure (lifetime, from the per-user rollup), each linking to their report. */
export function TopUsers({ title, users: all, by, testId }: { title: string; users: TopUser[]; by: "data" | "connections"; testId: string }) {
  // Accounts that never connected are not "top" anything.
  const users = all.filter((u) => (by === "data" ? u.bytes : u.connections) > 0);
  return (
    <Card data-testid={testId}>
      <CardHeader title={title} description="All time, from the hourly per-user rollup." />
      {users.length === 0 ? (
        <EmptyState title="No usage yet" />
      ) : (
        <Table label={title}>
          <thead>
            <tr>
              <Th className="w-10">#</Th>
              <Th>User</Th>
              <Th className="text-right">{by === "data" ? "Data" : "Connections"}</Th>
              <Th className="text-right">{by === "data" ? "Connections" : "Data"}</Th>
            </tr>
          </thead>
          <tbody>
            {users.map((u, i) => (
              <tr key={u.userId}>
                <Td className="tabular-nums text-slate-500 dark:text-slate-400">{i + 1}</Td>
                <Td className="max-w-64 truncate">
                  <Link href={`/admin/users/${encodeURIComponent(u.userId)}`} className="font-medium text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    {u.email}
                  </Link>
                </Td>
                <Td className="text-right font-medium tabular-nums">{by === "data" ? formatBytes(u.bytes) : formatCount(u.connections)}</Td>
                <Td className="text-right tabular-nums">{by === "data" ? formatCount(u.connections) : formatBytes(u.bytes)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}
