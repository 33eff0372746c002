import { createServer } from "@/lib/services/servers";
import { ServerInputSchema, splitEndpoint } from "@/lib/validation/vpn";
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
