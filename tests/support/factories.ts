import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { emailOutbox, users, type Role } from "@/db/schema";
import { createAccount } from "@/lib/services/accounts";
import { createApiToken } from "@/lib/dal/api-tokens";
import type { UserActor } from "@/lib/auth/actor";

let counter = 0;

/** A real account created through the service, plus a personal API token for it. */
export async function makeUser(role: Role = "user", overrides: { email?: string; password?: string } = {}) {
  counter++;
  const email = overrides.email ?? `user${counter}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  const password = overrides.password ?? "correct horse battery";
  const created = await createAccount({ email, password, name: `User ${counter}`, role }, null);
  const actor: UserActor = { kind: "user", id: created.id, email: created.email, role: created.role, status: created.status };
  const { token } = await createApiToken(actor, "test");
  return { ...created, actor, token, password };
}

export async function setStatus(userId: string, status: "active" | "suspended" | "banned") {
  const db = await getDb();
  await db.update(users).set({ status }).where(eq(users.id, userId));
}

import { createServer } from "@/lib/services/servers";
import { ServerInputSchema } from "@/lib/validation/vpn";

let serverCounter = 0;

/** A real VPN server created through the service (keys generated, private key sealed). */
export async function makeServer(overrides: Partial<{ name: string; ipv4Pool: string; ipv6Pool: string; endpointHost: string; endpointPort: number; dns: string; mtu: number }> = {}) {
  serverCounter++;
  const input = ServerInputSchema.parse({
    name: overrides.name ?? `server-${serverCounter}-${Math.random().toString(36).slice(2, 6)}`,
    region: "eu-west",
    endpointHost: overrides.endpointHost ?? "vpn.example.test",
    endpointPort: overrides.endpointPort ?? 51820,
    ipv4Pool: overrides.ipv4Pool,
    ipv6Pool: overrides.ipv6Pool,
    dns: overrides.dns,
    mtu: overrides.mtu,
  });
  const { server, agentToken } = await createServer({ kind: "system", job: "test" }, input);
  return { ...server, agentToken };
}

/** `n` emails waiting in the outbox for the email job, to user0@example.test onwards. */
export async function queuePendingEmails(n: number) {
  const db = await getDb();
  await db.insert(emailOutbox).values(
    Array.from({ length: n }, (_, i) => ({
      toAddress: `user${i}@example.test`,
      subject: "Hello",
      html: "<p>Hello</p>",
      text: "Hello",
      template: "welcome",
      status: "pending" as const,
    })),
  );
}
