import "server-only";
import { AppError } from "@/lib/errors";

/**
 * A public key belongs to one device, as its current key or as an old one
 * (peer_public_keys, filled by triggers: migration 0014). Every writer maps
 * a violation of these constraints to the same 409.
 */
export const PUBLIC_KEY_CONSTRAINTS = ["wireguard_peers_public_key_key", "peer_public_keys_pkey"];

export const publicKeyInUse = () =>
  new AppError("conflict", "This public key is already in use", [{ path: "publicKey", message: "This public key is already in use: generate a new key" }]);
