// The TCP peer's address on every request this process receives, in a
// header whose name is random per process. Plain JavaScript, so that the
// production server (scripts/server.mjs) installs it before it listens,
// without a build; the app reads it through lib/http/peer-address.ts, and
// its instrumentation installs it too (a no-op once installed) for
// `next start` and `next dev`. Types: peer-address.d.mts.
import { randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

/**
 * Security-critical. Route handlers and server actions only see a request's
 * headers, and Next fills X-Forwarded-For with the socket's address when a
 * request has none, so they cannot tell the TCP peer from whatever a client
 * wrote. Every request this process receives therefore carries its peer's
 * address in a header set here, before Next reads the request, overwriting
 * anything of that name. The name is random per process, so no request can
 * bring its own value. Install it before the server accepts a request: one
 * accepted earlier has no peer (and so no per-address sign-in lockout).
 */
export function installPeerAddressHeader() {
  if (globalThis.__swPeerHeader) return;
  const name = `x-securewave-peer-${randomBytes(16).toString("hex")}`;
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype;
    const emit = proto.emit;
    proto.emit = function (event, ...args) {
      if (event === "request") {
        const req = args[0];
        const peer = req.socket?.remoteAddress;
        if (peer) req.headers[name] = peer;
        else delete req.headers[name];
      }
      return emit.call(this, event, ...args);
    };
  }
  globalThis.__swPeerHeader = name;
}

/** The TCP peer of the request these headers came with; null outside a server that installed the header. */
export function peerAddress(headers) {
  const name = globalThis.__swPeerHeader;
  return name ? headers.get(name) : null;
}
