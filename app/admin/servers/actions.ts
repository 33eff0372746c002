"use server";

import { z } from "zod";
import { createServer, defaultIpv4Pool, deleteServer, rotateAgentToken, updateServer } from "@/lib/services/servers";
import { ServerInputSchema, ServerUpdateSchema } from "@/lib/validation/vpn";
import { blankAsAbsent, IdSchema } from "@/lib/validation/ids";
import { parsePool, serverAddress } from "@/lib/wireguard/addresses";
import { defineFormAction } from "@/lib/actions/define-action";

/** What the one-time box after a create shows: the token (never stored in clear) and the interface addresses for the install snippet. */
export type CreatedServer = { name: string; agentToken: string; interfaceAddresses: string[] };
export type RotatedToken = { agentToken: string };

const NOT_FOUND = "Unknown server.";
const SERVERS = ["/admin/servers"] as const;
const SERVERS_AND_PEERS = ["/admin/servers", "/admin/peers"] as const;
const ById = z.object({ id: IdSchema });

/** The server's own address in a pool, with the pool's prefix: what `ip address add` on wg0 takes. */
function interfaceAddress(pool: string): string {
  return `${serverAddress(pool)}/${parsePool(pool).prefix}`;
}

/** An empty optional field means "use the default"; DNS may be deliberately empty (no DNS pushed to clients). */
const CreateServerFormSchema = ServerInputSchema.extend({
  endpointPort: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), ServerInputSchema.shape.endpointPort),
  ipv4Pool: blankAsAbsent(ServerInputSchema.shape.ipv4Pool),
  ipv6Pool: blankAsAbsent(ServerInputSchema.shape.ipv6Pool),
  mtu: blankAsAbsent(ServerInputSchema.shape.mtu),
});

export const createServerAction = defineFormAction(
  {
    auth: "servers.manage",
    input: CreateServerFormSchema,
    values: ["name", "region", "endpointHost", "endpointPort", "ipv4Pool", "ipv6Pool", "dns", "mtu"],
    revalidate: SERVERS_AND_PEERS,
  },
  async ({ actor, input }): Promise<CreatedServer> => {
    const { server, agentToken } = await createServer(actor, input);
    const pools = [input.ipv4Pool ?? defaultIpv4Pool(), input.ipv6Pool].filter((p): p is string => !!p);
    return { name: server.name, agentToken, interfaceAddresses: pools.map(interfaceAddress) };
  },
);

const UpdateServerFormSchema = ServerUpdateSchema.extend({
  id: IdSchema,
  // Every server has an MTU: an emptied field keeps the current one.
  mtu: blankAsAbsent(ServerUpdateSchema.shape.mtu),
});

export const updateServerAction = defineFormAction(
  {
    auth: "servers.manage",
    input: UpdateServerFormSchema,
    values: ["name", "region", "endpointHost", "endpointPort", "dns", "mtu"],
    notFound: NOT_FOUND,
    revalidate: SERVERS_AND_PEERS,
  },
  async ({ actor, input: { id, ...patch } }) => {
    await updateServer(actor, id, patch);
    return null;
  },
);

export const rotateAgentTokenAction = defineFormAction(
  { auth: "servers.manage", input: ById, notFound: NOT_FOUND, revalidate: SERVERS },
  async ({ actor, input }): Promise<RotatedToken> => ({ agentToken: await rotateAgentToken(actor, input.id) }),
);

export const deleteServerAction = defineFormAction(
  { auth: "servers.manage", input: ById, notFound: NOT_FOUND, revalidate: SERVERS_AND_PEERS },
  async ({ actor, input }) => {
    await deleteServer(actor, input.id);
    return null;
  },
);
