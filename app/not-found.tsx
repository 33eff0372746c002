import type { Metadata } from "next";
import { connection } from "next/server";
import { StatusPage } from "@/components/ui/status-page";
import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

/**
 * The 404 page, for unknown addresses and for `notFound()`. Rendered for each
 * request, never prerendered: the page policy (proxy.ts) allows only scripts
 * carrying that request's nonce, and Next adds the nonce while rendering; a
 * build-time copy would carry none, and its scripts would all be refused.
 */
export default async function NotFound() {
  await connection();
  return (
    <StatusPage code="404" title="Page not found" action={<ButtonLink href="/">Go to the start page</ButtonLink>}>
      The page you asked for does not exist or has moved.
    </StatusPage>
  );
}
