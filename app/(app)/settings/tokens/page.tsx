import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/dal/api-tokens";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { CreateTokenForm } from "./_components/create-token-form";
import { RevokeTokenDialog } from "./_components/revoke-token-dialog";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const tokens = await listApiTokens(await requireUser());
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          <>
            Personal tokens authenticate scripts as you (<code className="font-mono">Authorization: Bearer …</code>).{" "}
            <Link href="/settings" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Back to settings
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Create a token" />
          <CardBody>
            <CreateTokenForm />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Your tokens" />
          {tokens.length === 0 ? (
            <EmptyState title="No tokens yet">Tokens you create will be listed here.</EmptyState>
          ) : (
            <Table label="Your API tokens">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Token</Th>
                  <Th>Created</Th>
                  <Th>Last used</Th>
                  <Th>Status</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-testid="token-row">
                    <Td className="font-medium">{t.name}</Td>
                    <Td>
                      <code className="font-mono text-xs">{t.prefix}…</code>
                    </Td>
                    <Td>
                      <DateTime value={t.createdAt} />
                    </Td>
                    <Td>
                      <DateTime value={t.lastUsedAt} fallback="Never" />
                    </Td>
                    <Td>
                      {t.revokedAt ? (
                        <span className="flex flex-col gap-1">
                          <Badge tone="neutral" className="self-start">Revoked</Badge>
                          <DateTime value={t.revokedAt} />
                        </span>
                      ) : (
                        <Badge tone="success">Active</Badge>
                      )}
                    </Td>
                    <Td className="text-right">{t.revokedAt ? null : <RevokeTokenDialog id={t.id} name={t.name} />}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
