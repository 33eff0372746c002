import type { Metadata } from "next";
import { StatusPage } from "@/components/ui/status-page";
import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "No access" };

export default function Forbidden() {
  return (
    <StatusPage code="403" title="You don't have access to this page" action={<ButtonLink href="/devices">Back to your devices</ButtonLink>}>
      Your account&apos;s role does not allow this page. If you think it should, contact an administrator.
    </StatusPage>
  );
}
