/**
 * host:port on one line: never wrapped inside the port. A long host name is
 * cut with an ellipsis (the whole endpoint is in the title). IPv6 hosts in
 * brackets, as WireGuard writes them.
 */
export function Endpoint({ host, port, className }: { host: string; port: number; className?: string }) {
  const shown = host.includes(":") ? `[${host}]` : host;
  return (
    <code className={`inline-flex max-w-full whitespace-nowrap font-mono ${className ?? ""}`} title={`${shown}:${port}`} data-testid="server-endpoint">
      <span className="min-w-0 truncate">{shown}</span>
      <span className="shrink-0">:{port}</span>
    </code>
  );
}
