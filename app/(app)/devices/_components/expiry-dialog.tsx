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
import { renewDeviceAction, setDeviceExpiryAction } from "../actions";
import { FormMessages } from "./form-messages";
import { useNotify } from "./notice";
import { useRefreshPeers } from "./peers-query";

const triggerClass = buttonClasses("secondary", "sm");

/** `<input type="datetime-local">` speaks the browser's local time: "2030-03-01T14:30". */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An expired device: one click brings it back (its plan's lifetime again, or no expiry). */
function RenewButton({ peer }: { peer: PeerDto }) {
  const notify = useNotify();
  const refresh = useRefreshPeers();
  async function renew(prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
    const result = await renewDeviceAction(prev, form);
    if (result.ok) {
      notify("success", `“${peer.deviceName}” works again${result.data.expiresAt ? ` until ${new Date(result.data.expiresAt).toLocaleString()}` : ""}.`);
      refresh();
    } else notify("error", result.formError ?? "The device could not be re-enabled.");
    return result;
  }
  const [, action] = useActionState(renew, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={peer.id} />
      <SubmitButton size="sm" pendingLabel="Re-enabling…" aria-label={`Re-enable ${peer.deviceName}`}>
        Re-enable
      </SubmitButton>
    </form>
  );
}

function ExpiryForm({ peer, onDone }: { peer: PeerDto; onDone: () => void }) {
  const notify = useNotify();
  const refresh = useRefreshPeers();
  async function save(prev: ActionState<PeerDto>, form: FormData): Promise<ActionResult<PeerDto>> {
    // The picker gives local wall-clock time; the server wants the instant.
    const local = String(form.get("expiresAt") ?? "");
    if (form.get("intent") === "clear") form.set("expiresAt", "");
    else if (local) {
      const d = new Date(local);
      if (Number.isNaN(d.getTime())) return { ok: false, fieldErrors: { expiresAt: ["Choose a date and time"] }, values: { expiresAt: local } };
      form.set("expiresAt", d.toISOString());
    } else return { ok: false, fieldErrors: { expiresAt: ["Choose a date and time, or remove the expiry"] } };
    const result = await setDeviceExpiryAction(prev, form);
    if (result.ok) {
      notify("success", result.data.expiresAt ? `“${peer.deviceName}” now expires on ${new Date(result.data.expiresAt).toLocaleString()}.` : `“${peer.deviceName}” no longer expires.`);
      refresh();
      onDone();
    }
    return result.ok ? result : { ...result, values: { expiresAt: local } };
  }
  const [state, action] = useActionState(save, null);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={peer.id} />
      <InputField
        label="Expires at (your local time)"
        name="expiresAt"
        type="datetime-local"
        defaultValue={(state && !state.ok && state.values?.expiresAt) || toLocalInput(peer.expiresAt)}
        hint="At that moment the device stops connecting. You will get an email 3 days before."
        error={fieldError(state, "expiresAt")}
      />
      <FormMessages state={state} fields={["expiresAt"]} />
      <div className="flex flex-wrap justify-end gap-2">
        {peer.expiresAt ? (
          <SubmitButton variant="secondary" name="intent" value="clear" pendingLabel="Saving…">
            Remove expiry
          </SubmitButton>
        ) : null}
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <SubmitButton name="intent" value="set" pendingLabel="Saving…">
          Save expiry
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * "Set expiry" for a device that works, "Re-enable" for one that expired.
 * `now` is the list's clock, so server and client render the same.
 */
export function ExpiryButton({ peer, describedBy, now }: { peer: PeerDto; describedBy?: string; now: number }) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const expired = !!peer.expiresAt && new Date(peer.expiresAt).getTime() <= now;
  if (expired) return <RenewButton peer={peer} />;
  return (
    <>
      <button type="button" className={triggerClass} aria-haspopup="dialog" aria-describedby={describedBy} disabled={!hydrated} onClick={() => setOpen(true)}>
        {peer.expiresAt ? "Change expiry" : "Set expiry"}
      </button>
      <Modal open={open} onClose={() => setOpen(false)} title={`Expiry of “${peer.deviceName}”`} description="A device that expires stops connecting at that moment; one click re-enables it.">
        {open ? <ExpiryForm peer={peer} onDone={() => setOpen(false)} /> : null}
      </Modal>
    </>
  );
}
