/** Types of scripts/peer-address.mjs (plain JavaScript: the production server installs it before it listens, without a build). */
export function installPeerAddressHeader(): void;
export function peerAddress(headers: Headers): string | null;
