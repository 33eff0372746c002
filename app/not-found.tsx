import type { Metadata } from "next";
import { StatusPage } from "@/components/ui/status-page";
import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage code="404" title="Page not found" action={<ButtonLink href="/">Go to the start page</ButtonLink>}>
      The page you asked for does not exist or has moved.
    </StatusPage>
  );
}
