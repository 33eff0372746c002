import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { buttonClasses } from "@/components/ui/button";

const EXPORTS = [
  { href: "/api/admin/export/users.csv", label: "Users", hint: "Every account: email, role, status, plan, active devices, sign-up and last sign-in." },
  { href: "/api/admin/export/devices.csv", label: "Devices", hint: "Every device: owner, server, addresses, public key, status, last handshake, traffic." },
  { href: "/api/admin/export/incidents.csv", label: "Abuse incidents", hint: "Every incident: user, type, severity, status, action taken, resolution." },
] as const;

/**
 * CSV downloads for spreadsheets and audits (each one is recorded in the
 * audit log). The users and peers pages export what their filters show.
 */
export function ExportsCard() {
  return (
    <Card data-testid="dashboard-exports">
      <CardHeader title="Exports" description="CSV files, streamed from the database. Each download is recorded in the audit log." />
      <CardBody>
        <ul className="grid gap-4 sm:grid-cols-3">
          {EXPORTS.map((e) => (
            <li key={e.href} className="flex flex-col items-start gap-2">
              <a href={e.href} download className={buttonClasses("secondary", "sm")} data-export={e.label}>
                Export {e.label.toLowerCase()} (CSV)
              </a>
              <p className="text-xs text-slate-600 dark:text-slate-400">{e.hint}</p>
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}
