import type { UserActor } from "@/lib/auth/actor";
import { roleCan } from "@/lib/auth/policy";

type Role = UserActor["role"];

export interface NavItem {
  href: string;
  label: string;
  /** Highlight only on this exact path (e.g. the admin dashboard at /admin). */
  exact?: boolean;
}

const USER_ITEMS: NavItem[] = [
  { href: "/devices", label: "Devices" },
  { href: "/usage", label: "Usage" },
  { href: "/plan", label: "Plan" },
  { href: "/support", label: "Support" },
  { href: "/settings", label: "Settings" },
];

/** The main navigation for a role: every role sees the user pages, and each console its role may open (lib/auth/policy). */
export function navItemsFor(role: Role): NavItem[] {
  const items = [...USER_ITEMS];
  if (roleCan(role, "support.work")) items.push({ href: "/agent/tickets", label: "Ticket queue" });
  if (roleCan(role, "admin.view")) items.push({ href: "/admin", label: "Admin" });
  return items;
}

export const ADMIN_ITEMS: NavItem[] = [
  { href: "/admin", label: "Dashboard", exact: true },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/servers", label: "Servers" },
  { href: "/admin/peers", label: "Peers" },
  { href: "/admin/plans", label: "Plans" },
  { href: "/admin/plan-requests", label: "Plan requests" },
  { href: "/admin/abuse", label: "Abuse" },
  { href: "/admin/jobs", label: "Jobs" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/security", label: "Security" },
];

export function isActive(pathname: string, item: NavItem): boolean {
  if (item.exact) return pathname === item.href;
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
