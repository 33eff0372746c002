"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { createServer, defaultIpv4Pool, deleteServer, rotateAgentToken, updateServer } from "@/lib/services/servers";
import { ServerInputSchema, ServerUpdateSchema } from "@/lib/validation/vpn";
import { parsePool, serverAddress } from "@/lib/wireguard/addresses";
import { pickValues, type ActionResult, type ActionState } from "@/components/forms/action-result";
import { actionFailure, zodFailure } from "@/components/forms/action-error";

const ServerIdSchema = z.string().trim().min(1, "Unknown server").max(100);
const UpdateServerSchema = ServerUpdateSchema.extend({ serverId: ServerIdSchema });

/** What the one-time box after a create shows: the token (never stored in clear) and the interface addresses for the install snippet. */
export type CreatedServer = { name: string; agentToken: string; interfaceAddresses: string[] };
export type RotatedToken = { agentToken: string };

const SERVER_FIELDS = ["name", "region", "endpointHost", "endpointPort", "ipv4Pool", "ipv6Pool", "dns", "mtu"] as const;

/** An empty optional field means "use the default" (undefined); DNS may be deliberately empty (no DNS pushed to clients). */
const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/** The server's own address in a pool, with the pool's prefix: what `ip address add` on wg0 takes. */
function interfaceAddress(pool: string): string {
  return `${serverAddress(pool)}/${parsePool(pool).prefix}`;
}

export async function createServerAction(_prev: ActionState<CreatedServer>, form: FormData): Promise<ActionResult<CreatedServer>> {
  const values = pickValues(form, SERVER_FIELDS);
  const parsed = ServerInputSchema.safeParse({
    name: values.name ?? "",
    region: values.region ?? "",
    endpointHost: values.endpointHost ?? "",
    endpointPort: blank(values.endpointPort),
    ipv4Pool: blank(values.ipv4Pool),
    ipv6Pool: blank(values.ipv6Pool),
    dns: values.dns,
    mtu: blank(values.mtu),
  });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  try {
    const { server, agentToken } = await createServer(admin, parsed.data);
    revalidatePath("/admin/servers");
    revalidatePath("/admin/peers");
    const pools = [parsed.data.ipv4Pool ?? defaultIpv4Pool(), parsed.data.ipv6Pool].filter((p): p is string => !!p);
    return { ok: true, data: { name: server.name, agentToken, interfaceAddresses: pools.map(interfaceAddress) } };
  } catch (err) {
    return actionFailure(err, values);
  }
}

export async function updateServerAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const values = pickValues(form, ["name", "region", "endpointHost", "endpointPort", "dns", "mtu"]);
  const parsed = UpdateServerSchema.safeParse({
    serverId: form.get("serverId") ?? "",
    name: values.name ?? "",
    region: values.region ?? "",
    endpointHost: values.endpointHost ?? "",
    endpointPort: values.endpointPort ?? "",
    dns: values.dns ?? "",
    // Emptying the MTU field clears it: clients then use their own default.
    mtu: blank(values.mtu) ?? null,
  });
  if (!parsed.success) return zodFailure(parsed.error, values);
  const admin = await requireRole("admin");
  const { serverId, ...patch } = parsed.data;
  try {
    await updateServer(admin, serverId, patch);
    revalidatePath("/admin/servers");
    revalidatePath("/admin/peers");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err, values);
  }
}

export async function rotateAgentTokenAction(_prev: ActionState<RotatedToken>, form: FormData): Promise<ActionResult<RotatedToken>> {
  const parsed = ServerIdSchema.safeParse(form.get("serverId"));
  if (!parsed.success) return { ok: false, formError: "Unknown server." };
  const admin = await requireRole("admin");
  try {
    const agentToken = await rotateAgentToken(admin, parsed.data);
    revalidatePath("/admin/servers");
    return { ok: true, data: { agentToken } };
  } catch (err) {
    return actionFailure(err);
  }
}

export async function deleteServerAction(_prev: ActionState, form: FormData): Promise<ActionResult> {
  const parsed = ServerIdSchema.safeParse(form.get("serverId"));
  if (!parsed.success) return { ok: false, formError: "Unknown server." };
  const admin = await requireRole("admin");
  try {
    await deleteServer(admin, parsed.data);
    revalidatePath("/admin/servers");
    revalidatePath("/admin/peers");
    return { ok: true, data: null };
  } catch (err) {
    return actionFailure(err);
  }
}
