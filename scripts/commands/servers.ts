import { eq, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { vpnServers } from "@/db/schema";
import { createServer, updateServer } from "@/lib/services/servers";
import { ServerInputSchema, ServerPatchSchema, splitEndpoint } from "@/lib/validation/vpn";
import { required, UsageError, type Command } from "./types";

export const serverCreate: Command = {
  name: "server:create",
  summary: "Register a VPN server and print its agent token (shown once)",
  usage: "server:create --name N --endpoint HOST:PORT [--region R] [--ipv4 CIDR] [--ipv6 CIDR] [--dns IPS] [--mtu N]",
  options: {
    name: { type: "string" },
    endpoint: { type: "string" },
    region: { type: "string" },
    ipv4: { type: "string" },
    ipv6: { type: "string" },
    dns: { type: "string" },
    mtu: { type: "string" },
  },
  async run(v) {
    const endpoint = splitEndpoint(required(v, "endpoint"));
    if (!endpoint) throw new UsageError("--endpoint must be HOST:PORT (an IPv6 host in brackets: [2001:db8::1]:51820)");
    const parsed = ServerInputSchema.safeParse({
      name: required(v, "name"),
      region: v.region ?? "default",
      endpointHost: endpoint.host,
      endpointPort: endpoint.port,
      ipv4Pool: v.ipv4,
      ipv6Pool: v.ipv6,
      dns: v.dns,
      mtu: v.mtu,
    });
    if (!parsed.success) {
      const flag: Record<string, string> = { ipv4Pool: "ipv4", ipv6Pool: "ipv6", endpointHost: "endpoint", endpointPort: "endpoint" };
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? "");
      throw new UsageError(`--${flag[field] ?? field}: ${issue.message}`);
    }
    const { server, agentToken } = await createServer({ kind: "system", job: "cli" }, parsed.data);
    console.error(`created server ${server.name} (${server.id}), public key ${server.publicKey}`);
    console.error("agent token (shown once; set it as SECUREWAVE_TOKEN on the server):");
    console.log(agentToken);
  },
};

export const serverUpdate: Command = {
  name: "server:update",
  summary: "Change a VPN server's name, endpoint, region, DNS or MTU (the agent applies the MTU at its next cycle)",
  usage: "server:update --server ID|NAME [--name N] [--endpoint HOST:PORT] [--region R] [--dns IPS] [--mtu N]",
  options: {
    server: { type: "string" },
    name: { type: "string" },
    endpoint: { type: "string" },
    region: { type: "string" },
    dns: { type: "string" },
    mtu: { type: "string" },
  },
  async run(v) {
    const which = required(v, "server");
    const fields = Object.fromEntries(["name", "endpoint", "region", "dns", "mtu"].filter((k) => v[k] !== undefined).map((k) => [k, v[k]]));
    if (Object.keys(fields).length === 0) throw new UsageError("nothing to change: give at least one of --name, --endpoint, --region, --dns, --mtu");
    const parsed = ServerPatchSchema.safeParse(fields);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`--${String(issue.path[0] ?? "server")}: ${issue.message}`);
    }
    const db = await getDb();
    const [found] = await db
      .select({ id: vpnServers.id })
      .from(vpnServers)
      .where(or(eq(vpnServers.id, which), eq(vpnServers.name, which)))
      .limit(1);
    if (!found) throw new UsageError(`no server with id or name "${which}"`);
    const { endpoint, ...rest } = parsed.data;
    const ep = endpoint === undefined ? null : splitEndpoint(endpoint);
    await updateServer({ kind: "system", job: "cli" }, found.id, { ...rest, ...(ep ? { endpointHost: ep.host, endpointPort: ep.port } : {}) });
    const [server] = await db
      .select({ id: vpnServers.id, name: vpnServers.name, endpointHost: vpnServers.endpointHost, endpointPort: vpnServers.endpointPort, region: vpnServers.region, mtu: vpnServers.mtu, dns: vpnServers.dns })
      .from(vpnServers)
      .where(eq(vpnServers.id, found.id));
    console.error(`updated server ${server!.name} (${server!.id})`);
    console.log(JSON.stringify(server));
  },
};
