import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
const g = globalThis as unknown as { __swPeerHeader?: string };

/**
 * Security-critical. Route handlers and server actions only see a request's
 * headers, and Next fills X-Forwarded-For with the socket's address when a
 * request has none, so they cannot tell the TCP peer from whatever a client
 * wrote. Every request this process receives therefore carries its peer's
 * address in a header set here, before Next reads the request, overwriting
 * anything of that name. The name is random per process: a request accepted
 * before this is installed (Next listens before it runs instrumentation)
 * cannot bring its own value either, and simply has no peer.
 */
export function installPeerAddressHeader(): void {
  if (g.__swPeerHeader) return;
  const name = `x-securewave-peer-${randomBytes(16).toString("hex")}`;
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as { emit: Emit };
    const emit = proto.emit;
    proto.emit = function (event, ...args) {
      if (event === "request") {
        const req = args[0] as http.IncomingMessage;
        const peer = req.socket?.remoteAddress;
        if (peer) req.headers[name] = peer;
        else delete req.headers[name];
      }
      return emit.call(this, event, ...args);
    };
  }
  g.__swPeerHeader = name;
}

/** The TCP peer of the request these headers came with; null outside a server that installed the header. */
export function peerAddress(headers: Headers): string | null {
  const name = g.__swPeerHeader;
  return name ? headers.get(name) : null;
}
