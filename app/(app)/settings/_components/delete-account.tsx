import { requireUser } from "@/lib/auth/session";
import { getTwoFactorStatus } from "@/lib/dal/two-factor";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DeleteAccountDialog } from "./delete-account-dialog";

/** Settings' "Delete account" section: what deletion does, and the confirmation dialog. */
export async function DeleteAccount() {
  const actor = await requireUser();
  const twoFactor = await getTwoFactorStatus(actor);
  return (
    <Card aria-labelledby="delete-account-title" data-testid="delete-account">
      <CardHeader title={<span id="delete-account-title">Delete account</span>} description="Closes your SecureWave account for good." />
      <CardBody className="space-y-3 text-sm">
        <ul className="list-disc space-y-1 pl-5 text-slate-700 dark:text-slate-300">
          <li>Every device is revoked and leaves the VPN servers within a minute.</li>
          <li>Your email address, name, password, two-factor secret and API tokens are erased, and you are signed out everywhere.</li>
          <li>Your support tickets and usage records stay, without your name or address, so the service keeps its history.</li>
        </ul>
        <DeleteAccountDialog twoFactor={twoFactor.enabled} />
      </CardBody>
    </Card>
  );
}
