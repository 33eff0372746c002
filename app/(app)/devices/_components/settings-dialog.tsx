"use client";

import { useActionState, useState } from "react";
import type { PeerDto } from "@/lib/services/peer-dto";
import type { ActionResult, ActionState } from "@/lib/actions/result";
import { fieldError } from "@/lib/actions/result";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button, buttonClasses } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { Modal } from "@/components/ui/dialog";
import { useHydrated } from "@/components/ui/use-hydrated";
import { updateDeviceSettingsAction } from "../actions";
import { FormMessages } from "./form-messages";
import { useNotify } from "./notice";
import { useRefreshPeers } from "./peers-query";
import { MoveDevice } from "./move-device";

const triggerClass = buttonClasses("secondary", "sm");

function SettingsForm({ peer, onDone }: { peer: PeerDto; onDone: () => void }) {
  const notify = useNotify();
  const refresh = useRefreshPeers();
  async function save(prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
    const result = await updateDeviceSettingsAction(prev, form);
    if (result.ok) {
      notify("success", `Saved. The next key rotation of “${result.data.deviceName}” is due ${new Date(result.data.nextKeyRotationAt).toLocaleDateString()}.`);
      refresh();
      onDone();
    }
    return result;
  }
  const [state, action] = useActionState(save, null);
  const value = (name: string, fallback: string) => (state && !state.ok && state.values?.[name]) || fallback;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={peer.id} />
      <InputField
        label="Device name"
        name="deviceName"
        autoComplete="off"
        maxLength={64}
        defaultValue={value("deviceName", peer.deviceName)}
        error={fieldError(state, "deviceName")}
      />
      <InputField
        label="Rotate keys every (days)"
        name="rotationIntervalDays"
        type="number"
        inputMode="numeric"
        min={1}
        defaultValue={value("rotationIntervalDays", String(peer.rotationIntervalDays))}
        hint="Counted from the last rotation (or the device's creation); a shorter interval may make the next rotation due at once."
        error={fieldError(state, "rotationIntervalDays")}
      />
      <FormMessages state={state} fields={["deviceName", "rotationIntervalDays"]} />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
      </div>
    </form>
  );
}

/** The dialog's content: the settings form and the move control; once moved, only the move's outcome (scan again). */
function SettingsBody({ peer, onDone }: { peer: PeerDto; onDone: () => void }) {
  const [moved, setMoved] = useState(false);
  return (
    <div className="space-y-5">
      {moved ? null : <SettingsForm peer={peer} onDone={onDone} />}
      <MoveDevice peer={peer} onDone={onDone} onMoved={() => setMoved(true)} />
    </div>
  );
}

/** "Settings": the device's name, how often its keys rotate, and the server it is on. */
export function SettingsButton({ peer, describedBy }: { peer: PeerDto; describedBy?: string }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={triggerClass} aria-haspopup="dialog" aria-describedby={describedBy} disabled={!hydrated} onClick={() => setOpen(true)}>
        Settings
      </button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        size="lg"
        title={`Settings of “${peer.deviceName}”`}
        description="Rename the device, change how often its keys are rotated, or move it to another server."
      >
        {open ? <SettingsBody peer={peer} onDone={() => setOpen(false)} /> : null}
      </Modal>
    </>
  );
}
