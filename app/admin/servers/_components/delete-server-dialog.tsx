"use client";

import { useActionState, useEffect } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { deleteServerAction } from "../actions";

function DeleteServerForm({ serverId, name, activePeers }: { serverId: string; name: string; activePeers: number }) {
  const [state, action] = useActionState(deleteServerAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={serverId} />
      {/* When the service refuses (active devices), its message says why. */}
      <FormError state={state} />
      <p className="text-sm">
        Delete <strong className="font-semibold">{name}</strong> and its revoked devices for good? This cannot be undone.
      </p>
      {activePeers > 0 ? (
        <p className="text-sm text-amber-800 dark:text-amber-300">
          It still has {activePeers} active {activePeers === 1 ? "device" : "devices"}: a server is deleted only once its devices are revoked or moved.
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete server
        </SubmitButton>
      </div>
    </form>
  );
}

export function DeleteServerDialog({ serverId, name, activePeers }: { serverId: string; name: string; activePeers: number }) {
  return (
    <Dialog title="Delete server" description={name} triggerLabel="Delete" triggerVariant="danger" triggerAriaLabel={`Delete server ${name}`}>
      <DeleteServerForm serverId={serverId} name={name} activePeers={activePeers} />
    </Dialog>
  );
}
