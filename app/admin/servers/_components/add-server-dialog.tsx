"use client";

import { useActionState } from "react";
import { Dialog, DialogCancel, useDialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { InputField } from "@/components/ui/field";
import { SubmitButton } from "@/components/forms/submit-button";
import { FormError } from "@/components/forms/form-error";
import { fieldError, valueOf } from "@/lib/actions/result";
import { OneTimeSecret } from "./one-time-secret";
import { createServerAction } from "../actions";
import { AgentInstall } from "./agent-install";
import { ServerFields } from "./server-fields";
import { DEFAULT_PORT } from "./labels";

export interface NewServerDefaults {
  ipv4Pool: string;
  ipv6Pool: string;
  dns: string;
}

function AddServerForm({ defaults, appUrl }: { defaults: NewServerDefaults; appUrl: string }) {
  const [state, action] = useActionState(createServerAction, null);
  const { close } = useDialog();

  // The token lives only in this component's state: closing the dialog unmounts it for good.
  if (state?.ok) {
    const { name, agentToken, interfaceAddresses } = state.data;
    return (
      <div className="space-y-4">
        <OneTimeSecret title={`Server “${name}” created`} secret={agentToken} label="Agent token" testId="agent-token">
          <AgentInstall appUrl={appUrl} agentToken={agentToken} interfaceAddresses={interfaceAddresses} />
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
    <form action={action} className="space-y-4" noValidate>
      <FormError state={state} />
      <ServerFields state={state} defaults={{ endpointPort: DEFAULT_PORT, dns: defaults.dns }} />
      <fieldset className="space-y-4 rounded-md border border-slate-200 p-3 dark:border-slate-800">
        <legend className="px-1 text-sm font-medium text-slate-800 dark:text-slate-200">Address pools</legend>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Fixed once the server is created. The first address of each pool is the server&apos;s own; each device gets one address from each.
        </p>
        <InputField
          label="IPv4 pool"
          name="ipv4Pool"
          maxLength={43}
          placeholder={defaults.ipv4Pool}
          hint="A private CIDR from /16 to /29."
          autoComplete="off"
          spellCheck={false}
          defaultValue={valueOf(state, "ipv4Pool") ?? defaults.ipv4Pool}
          error={fieldError(state, "ipv4Pool")}
        />
        <InputField
          label="IPv6 pool"
          name="ipv6Pool"
          maxLength={49}
          placeholder="fdxx:xxxx:xxxx::/64"
          hint="A unique local (ULA) /64, generated at random for this server."
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={valueOf(state, "ipv6Pool") ?? defaults.ipv6Pool}
          error={fieldError(state, "ipv6Pool")}
        />
      </fieldset>
      <div className="flex flex-wrap justify-end gap-2">
        <DialogCancel />
        <SubmitButton pendingLabel="Creating…">Create server</SubmitButton>
      </div>
    </form>
  );
}

export function AddServerDialog({ defaults, appUrl }: { defaults: NewServerDefaults; appUrl: string }) {
  return (
    <Dialog
      title="Add server"
      description="A WireGuard keypair and an agent token are generated for it. The server's agent uses the token to pull its config."
      triggerLabel="Add server"
      triggerVariant="primary"
      triggerSize="md"
    >
      <AddServerForm defaults={defaults} appUrl={appUrl} />
    </Dialog>
  );
}
