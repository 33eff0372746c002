"use client";

import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { DialogCancel, Modal, useDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { deleteServerAction } from "../actions";

function DeleteServerForm({ serverId, name, activePeers, leaveTo }: { serverId: string; name: string; activePeers: number; leaveTo?: string }) {
  const router = useRouter();
  const [state, action] = useActionState(async (prev: Awaited<ReturnType<typeof deleteServerAction>> | null, form: FormData) => {
    const result = await deleteServerAction(prev, form);
    // Deleted from its own page: that page is gone, so leave it in the same transition.
    if (result?.ok && leaveTo) router.push(leaveTo);
    return result;
  }, null);
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
        <SubmitButton variant="danger" pendingLabel="Deleting…" aria-label={`Delete server ${name}`}>
          Delete server
        </SubmitButton>
      </div>
    </form>
  );
}

/** "Delete server": confirmed here, refused by the service while the server still has active devices. */
export function DeleteServerModal({
  serverId,
  name,
  activePeers,
  open,
  onClose,
  leaveTo,
}: {
  serverId: string;
  name: string;
  activePeers: number;
  open: boolean;
  onClose: () => void;
  leaveTo?: string;
}) {
  return (
    <Modal open={open} onClose={onClose} title="Delete server" description={name} focusMainOnClose={!!leaveTo}>
      <DeleteServerForm serverId={serverId} name={name} activePeers={activePeers} leaveTo={leaveTo} />
    </Modal>
  );
}
