import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardBody } from "@/components/ui/card";
import { NewTicketForm } from "../_components/new-ticket-form";

export const metadata: Metadata = { title: "New ticket" };

export default async function NewTicketPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="New ticket"
        description={
          <>
            Tell us what is wrong; we reply here and by email.{" "}
            <Link href="/support" className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
              Back to your tickets
            </Link>
          </>
        }
      />
      <Card>
        <CardBody>
          <NewTicketForm />
        </CardBody>
      </Card>
    </>
  );
}
