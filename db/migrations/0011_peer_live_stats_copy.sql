-- Every push rewrites each reported device's live figures. In their own
-- narrow table, on pages kept half free, those updates stay on the page
-- (HOT: no index entry) and log a fraction of what a wide device row costs
-- (docs/decisions/011). Set before the copy so the copied rows get the room.
ALTER TABLE "peer_live_stats" SET (fillfactor = 50);--> statement-breakpoint
-- One row per device, revoked ones included: the push only updates, it never inserts.
INSERT INTO "peer_live_stats" ("peer_id", "bytes_sent", "bytes_received", "last_handshake_at", "endpoint")
SELECT "id", "bytes_sent", "bytes_received", "last_handshake_at", "endpoint" FROM "wireguard_peers";--> statement-breakpoint
-- Device rows no longer take a write per push: the room migration 0007 kept free for those is not needed.
ALTER TABLE "wireguard_peers" RESET (fillfactor);
