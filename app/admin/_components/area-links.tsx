import { buttonClasses } from "@/components/ui/button";
import Link from "next/link";

const AREAS = [
  { href: "/admin/servers", label: "Servers" },
  { href: "/admin/peers", label: "Peers" },
  { href: "/admin/abuse", label: "Abuse" },
  { href: "/agent/tickets", label: "Tickets" },
  { href: "/admin/jobs", label: "Jobs" },
] as const;

/** Shortcuts into each area the dashboard summarises. */
export function AreaLinks() {
  return (
    <nav aria-label="Admin areas">
      <ul className="flex flex-wrap gap-2">
        {AREAS.map((a) => (
          <li key={a.href}>
            <Link href={a.href} className={buttonClasses("secondary", "sm")}>
              {a.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
