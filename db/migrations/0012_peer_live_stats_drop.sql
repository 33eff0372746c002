ALTER TABLE "wireguard_peers" DROP COLUMN "bytes_sent";--> statement-breakpoint
ALTER TABLE "wireguard_peers" DROP COLUMN "bytes_received";--> statement-breakpoint
ALTER TABLE "wireguard_peers" DROP COLUMN "last_handshake_at";--> statement-breakpoint
ALTER TABLE "wireguard_peers" DROP COLUMN "endpoint";