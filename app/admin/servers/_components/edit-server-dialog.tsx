"use client";

import { useActionState, useEffect } from "react";
import { DialogCancel, Modal, useDialog } from "@/components/ui/dialog";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { updateServerAction } from "../actions";
import { ServerFields } from "./server-fields";

export interface EditableServer {
  id: string;
  name: string;
  region: string;
  endpointHost: string;
  endpointPort: number;
  dns: string;
  mtu: number;
  ipv4Pool: string;
  ipv6Pool: string;
}

function EditServerForm({ server }: { server: EditableServer }) {
  const [state, action] = useActionState(updateServerAction, null);
  const { close } = useDialog();
  useEffect(() => {
    if (state?.ok) close();
  }, [state, close]);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={server.id} />
      <FormError state={state} />
      <ServerFields state={state} defaults={server} />
      <div className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600 dark:bg-slate-800/60 dark:text-slate-400">
        <p className="font-medium text-slate-700 dark:text-slate-300">Address pools are fixed once a server is created</p>
        <p className="mt-1 break-all font-mono">
          IPv4 {server.ipv4Pool} · IPv6 {server.ipv6Pool}
        </p>
        <p className="mt-1">Devices hold addresses from these pools. To use other pools, add a new server.</p>
      </div>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Saving…">Save changes</SubmitButton>
      </div>
    </form>
  );
}

export function EditServerModal({ server, open, onClose }: { server: EditableServer; open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="Edit server" description="Clients pick up a new endpoint, DNS or MTU the next time they download their config.">
      <EditServerForm server={server} />
    </Modal>
  );
}
