"use client";

import { InputField } from "@/components/ui/field";
import { fieldError, valueOf, type ActionState } from "@/lib/actions/result";

export interface ServerFieldDefaults {
  name?: string;
  region?: string;
  endpointHost?: string;
  endpointPort: number;
  dns: string;
  mtu?: number | null;
}

/** The fields Add and Edit share. After a failed submission each shows what was typed, not the default. */
export function ServerFields({ state, defaults }: { state: ActionState<unknown>; defaults: ServerFieldDefaults }) {
  const v = (name: string, fallback: string | number | null | undefined) => valueOf(state, name) ?? (fallback == null ? "" : String(fallback));
  return (
    <>
      <InputField label="Name" name="name" required maxLength={64} placeholder="Frankfurt 1" autoComplete="off" defaultValue={v("name", defaults.name)} error={fieldError(state, "name")} />
      <InputField label="Region" name="region" required maxLength={64} placeholder="eu-central" autoComplete="off" defaultValue={v("region", defaults.region)} error={fieldError(state, "region")} />
      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        <InputField
          label="Endpoint host"
          name="endpointHost"
          required
          maxLength={253}
          placeholder="fra1.vpn.example.com"
          hint="The public host name or IP address clients connect to."
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={v("endpointHost", defaults.endpointHost)}
          error={fieldError(state, "endpointHost")}
        />
        <InputField
          label="Port"
          name="endpointPort"
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          required
          hint="UDP"
          defaultValue={v("endpointPort", defaults.endpointPort)}
          error={fieldError(state, "endpointPort")}
        />
      </div>
      <div className="grid gap-4 sm:grid-cols-[1fr_8rem]">
        <InputField
          label="DNS"
          name="dns"
          maxLength={200}
          placeholder="1.1.1.1, 1.0.0.1"
          hint="IP addresses separated by commas, written into client configs. Empty: clients keep their own DNS."
          autoComplete="off"
          spellCheck={false}
          defaultValue={v("dns", defaults.dns)}
          error={fieldError(state, "dns")}
        />
        <InputField
          label="MTU"
          name="mtu"
          type="number"
          inputMode="numeric"
          min={1280}
          max={9000}
          placeholder="1420"
          hint="The tunnel interface's MTU on the server and in every client config, 1280-9000. Empty: 1420 for a new server, unchanged when editing."
          defaultValue={v("mtu", defaults.mtu)}
          error={fieldError(state, "mtu")}
        />
      </div>
    </>
  );
}
