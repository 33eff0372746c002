import { Alert } from "@/components/ui/alert";

export type UnsealableServer = { id: string; name: string; count: number };

/**
 * Servers whose config leaves devices out because their preshared key does
 * not open with the configured master keys: those devices cannot connect
 * until the key that sealed them is configured again.
 */
export function UnsealablePeersNotice({ servers }: { servers: UnsealableServer[] }) {
  if (servers.length === 0) return null;
  return (
    <Alert tone="error" title="Devices left out of a server config" className="mb-4" testId="servers-unsealable-peers">
      <ul className="list-disc pl-5">
        {servers.map((s) => (
          <li key={s.id}>
            {s.name}: {s.count} device key{s.count === 1 ? "" : "s"} could not be unsealed with the configured ENCRYPTION_KEY /
            ENCRYPTION_KEYS_OLD.
          </li>
        ))}
      </ul>
      <p className="mt-1">
        The log line <code>server_config.unsealable_peer</code> names each device. Configure the key that sealed them (see README
        &ldquo;Security&rdquo;): they return with the next config pull.
      </p>
    </Alert>
  );
}
