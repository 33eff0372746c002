"use client";

import { useActionState, useState } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ActionResult, ActionState } from "@/lib/actions/result";
import { SubmitButton } from "@/components/forms/submit-button";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { removeLocalKey } from "./local-keys";
import { deleteDeviceAction, revokeDeviceAction } from "../actions";
import { FormMessages } from "./form-messages";
import { useNotify } from "./notice";
import { useRefreshPeers } from "./peers-query";

const triggerClass = buttonClasses("secondary", "sm");

/**
 * The shared body of a confirmation: the device id in a hidden field, the
 * server's error if any, Cancel (focused first, the safe choice) and the
 * confirm button.
 */
function ConfirmForm<T>({
  peer,
  action,
  confirmLabel,
  pendingLabel,
  onCancel,
}: {
  peer: PeerDto;
  action: (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;
  confirmLabel: string;
  pendingLabel: string;
  onCancel: () => void;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="id" value={peer.id} />
      <FormMessages state={state} fields={[]} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} data-autofocus>
          Cancel
        </Button>
        <SubmitButton variant="danger" pendingLabel={pendingLabel}>
          {confirmLabel}
        </SubmitButton>
      </div>
    </form>
  );
}

export function RevokeDeviceButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  // The row moves to the revoked list (and loses this button): focus goes to the page, where the notice is.
  const [done, setDone] = useState(false);
  const notify = useNotify();
  const refresh = useRefreshPeers();

  async function revoke(prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
    const result = await revokeDeviceAction(prev, form);
    if (result.ok) {
      // Its config no longer works: a private key kept for it here is useless now.
      removeLocalKey(peer.id);
      setDone(true);
      setOpen(false);
      notify("success", `“${peer.deviceName}” was revoked. It is disconnected and can no longer connect.`);
      refresh();
    }
    return result;
  }

  return (
    <>
      <button type="button" className={triggerClass} aria-haspopup="dialog" aria-describedby={describedBy} disabled={!hydrated} onClick={() => setOpen(true)}>
        Revoke
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        focusMainOnClose={done}
        title={`Revoke “${peer.deviceName}”?`}
        description="The device will disconnect within a minute and its configuration stops working for good. It stays in your list, marked revoked, until you delete it."
      >
        <ConfirmForm peer={peer} action={revoke} confirmLabel="Confirm revoke" pendingLabel="Revoking…" onCancel={() => setOpen(false)} />
      </Modal>
    </>
  );
}

export function DeleteDeviceButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const notify = useNotify();
  const refresh = useRefreshPeers();
  const active = peer.status === "active";

  async function remove(prev: ActionState, form: FormData): Promise<ActionResult> {
    const result = await deleteDeviceAction(prev, form);
    if (result.ok) {
      removeLocalKey(peer.id);
      setDone(true);
      setOpen(false);
      notify("success", `“${peer.deviceName}” was deleted.`);
      refresh();
    }
    return result;
  }

  return (
    <>
      <button
        type="button"
        className={active ? buttonClasses("ghost", "sm", "text-red-700! dark:text-red-400!") : triggerClass}
        aria-haspopup="dialog"
        aria-describedby={describedBy}
        disabled={!hydrated}
        onClick={() => setOpen(true)}
      >
        Delete
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        focusMainOnClose={done}
        title={`Delete “${peer.deviceName}”?`}
        description={active ? undefined : "The device is removed from your list for good. This cannot be undone."}
      >
        {active ? (
          <Alert tone="warning" title="This device is still active" className="mb-4">
            <p>
              Deleting it disconnects it at once, its configuration stops working, and it is removed for good: this cannot be undone. To keep
              it in your list for your records, revoke it instead.
            </p>
          </Alert>
        ) : null}
        <ConfirmForm peer={peer} action={remove} confirmLabel="Confirm delete" pendingLabel="Deleting…" onCancel={() => setOpen(false)} />
      </Modal>
    </>
  );
}
