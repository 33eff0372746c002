import { generateKeyPair } from "@/lib/wireguard/keys";

export interface DumpLine {
  publicKey: string;
  endpoint?: string | null;
  handshake?: Date | null;
  rx?: number;
  tx?: number;
  allowedIps?: string;
}

/** Builds the exact text of `wg show <iface> dump` (tab-separated, one line per peer). */
export function makeDump(peers: DumpLine[], opts: { privateKey?: string; publicKey?: string; port?: number } = {}): string {
  const iface = generateKeyPair();
  const head = [opts.privateKey ?? iface.privateKey, opts.publicKey ?? iface.publicKey, String(opts.port ?? 51820), "off"].join("\t");
  const lines = peers.map((p) =>
    [
      p.publicKey,
      "(none)",
      p.endpoint ?? "(none)",
      p.allowedIps ?? "10.8.0.2/32",
      p.handshake ? String(Math.floor(p.handshake.getTime() / 1000)) : "0",
      String(p.rx ?? 0),
      String(p.tx ?? 0),
      "off",
    ].join("\t"),
  );
  return [head, ...lines].join("\n") + "\n";
}
