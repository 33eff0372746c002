import { z } from "zod";
import { DEVICE_TYPES } from "@/db/schema/vpn";
import { isWireGuardKey } from "@/lib/wireguard/keys";
import { validatePool } from "@/lib/wireguard/addresses";
import { blankAsAbsent, idField } from "./ids";

export const DeviceNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a device name")
  .max(64, "Device name must be at most 64 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "Device name must not contain control characters");

export const PublicKeySchema = z
  .string()
  .trim()
  .refine(isWireGuardKey, "Not a WireGuard public key (44 characters of base64 ending in '=')");

export const CreatePeerSchema = z.object({
  serverId: idField("Choose a server"),
  deviceName: DeviceNameSchema,
  deviceType: z.enum(DEVICE_TYPES, { message: `Device type must be one of ${DEVICE_TYPES.join(", ")}` }),
  publicKey: blankAsAbsent(PublicKeySchema),
});
export type CreatePeer = z.infer<typeof CreatePeerSchema>;

export const RotatePeerSchema = z.object({ publicKey: blankAsAbsent(PublicKeySchema) });

const hostname = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const ipv4 = /^(\d{1,3})(\.\d{1,3}){3}$/;

export const EndpointHostSchema = z
  .string()
  .trim()
  .refine((h) => hostname.test(h) || ipv4.test(h) || /^[0-9a-fA-F:]+$/.test(h), "Enter a host name or IP address");

export const PortSchema = z.coerce.number().int().min(1, "Port must be 1-65535").max(65535, "Port must be 1-65535");

const poolField = (version: 4 | 6) =>
  z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const err = validatePool(v, version);
      if (err) ctx.addIssue({ code: "custom", message: err });
    });

export const DnsSchema = z
  .string()
  .trim()
  .max(200)
  .refine((v) => v === "" || v.split(/\s*,\s*/).every((d) => ipv4.test(d) || /^[0-9a-fA-F:]+$/.test(d)), "DNS must be IP addresses separated by commas");

export const MTU_MIN = 1280;
export const MTU_MAX = 9000;
export const MtuSchema = z.coerce
  .number()
  .int(`MTU must be a whole number from ${MTU_MIN} to ${MTU_MAX}`)
  .min(MTU_MIN, `MTU must be ${MTU_MIN}-${MTU_MAX}`)
  .max(MTU_MAX, `MTU must be ${MTU_MIN}-${MTU_MAX}`);

export const ServerInputSchema = z.object({
  name: z.string().trim().min(1, "Enter a name").max(64),
  region: z.string().trim().min(1, "Enter a region").max(64),
  endpointHost: EndpointHostSchema,
  endpointPort: PortSchema.default(51820),
  ipv4Pool: poolField(4).optional(),
  ipv6Pool: poolField(6).optional(),
  dns: DnsSchema.optional(),
  // Every server has an MTU; absent or null on create means the default (1420, as wg-quick picks). 1280 is IPv6's minimum.
  mtu: MtuSchema.nullable().optional(),
});
export type ServerInput = z.infer<typeof ServerInputSchema>;

export const ServerUpdateSchema = ServerInputSchema.omit({ ipv4Pool: true, ipv6Pool: true }).extend({ mtu: MtuSchema }).partial();

/**
 * PATCH /api/admin/servers/:id: the endpoint as one "host:port" string, as
 * the CLI takes it; the other fields as on create. Unknown fields are refused
 * so a misspelt one is not silently ignored.
 */
export const ServerPatchSchema = z
  .object({
    name: ServerInputSchema.shape.name.optional(),
    endpoint: z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        const ep = splitEndpoint(v);
        if (!ep || !EndpointHostSchema.safeParse(ep.host).success) ctx.addIssue({ code: "custom", message: "Endpoint must be host:port (an IPv6 host in brackets)" });
      })
      .optional(),
    region: ServerInputSchema.shape.region.optional(),
    mtu: MtuSchema.optional(),
    dns: DnsSchema.optional(),
  })
  .strict();
export type ServerPatch = z.infer<typeof ServerPatchSchema>;

/** The device's own settings its owner may change (PATCH /api/vpn/peers/:id). Bounds of the interval come from configuration, checked by the service. */
export const UpdatePeerSchema = z
  .object({
    deviceName: DeviceNameSchema.optional(),
    rotationIntervalDays: z.coerce.number().int("Rotation interval must be a whole number of days").optional(),
  })
  .strict();
export type UpdatePeer = z.infer<typeof UpdatePeerSchema>;

/** "host:port" or "[v6]:port" as the CLI takes it. */
export function splitEndpoint(endpoint: string): { host: string; port: number } | null {
  const m = endpoint.trim().match(/^\[([0-9a-fA-F:]+)\]:(\d{1,5})$/) ?? endpoint.trim().match(/^([^:\s]+):(\d{1,5})$/);
  if (!m) return null;
  const port = Number(m[2]);
  return port >= 1 && port <= 65535 ? { host: m[1]!, port } : null;
}

/** GET /api/vpn/peers?limit=&cursor= (API.md: default 50, max 200). */
export const PeerListQuerySchema = z.object({
  limit: z.coerce.number().int("limit must be a whole number").min(1, "limit must be 1-200").max(200, "limit must be 1-200").default(50),
  cursor: blankAsAbsent(z.string().max(300, "Invalid cursor")),
});
