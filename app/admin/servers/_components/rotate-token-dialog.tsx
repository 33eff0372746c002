"use client";

import { useActionState } from "react";
import { DialogCancel, Modal, useDialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { OneTimeSecret } from "./one-time-secret";
import { rotateAgentTokenAction } from "../actions";
import { AgentTokenUpdate } from "./agent-install";

function RotateTokenForm({ serverId, name }: { serverId: string; name: string }) {
  const [state, action] = useActionState(rotateAgentTokenAction, null);
  const { close } = useDialog();

  if (state?.ok) {
    return (
      <div className="space-y-4">
        <OneTimeSecret title={`New agent token for “${name}”`} secret={state.data.agentToken} label="Agent token" testId="agent-token">
          <AgentTokenUpdate agentToken={state.data.agentToken} />
        </OneTimeSecret>
        <div className="flex justify-end">
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="id" value={serverId} />
      <FormError state={state} />
      <Alert tone="warning">
        The current agent token stops working at once: the server&apos;s agent cannot pull its config or report statistics until its{" "}
        <code className="font-mono">/etc/securewave/agent.env</code> is updated with the new token. Tunnels that are up stay up.
      </Alert>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton variant="danger" pendingLabel="Rotating…">
          Rotate token
        </SubmitButton>
      </div>
    </form>
  );
}

/** "Rotate agent token": confirmed here (the old token stops at once); the new token is shown once, with the command to swap it on the server. */
export function RotateTokenModal({ serverId, name, open, onClose }: { serverId: string; name: string; open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="Rotate agent token" description={name} size="lg">
      <RotateTokenForm serverId={serverId} name={name} />
    </Modal>
  );
}
