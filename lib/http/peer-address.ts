/**
 * Security-critical: the TCP peer's address of a request, in a header
 * whose name is random per process (see scripts/peer-address.mjs, where it
 * lives in plain JavaScript so that scripts/server.mjs installs it before
 * the server listens: Next runs instrumentation.ts after it has started
 * accepting requests, and a request accepted before the header is installed
 * has no peer). instrumentation.ts installs it too, a no-op once installed.
 */
export { installPeerAddressHeader, peerAddress } from "@/scripts/peer-address.mjs";
