CREATE TABLE "peer_live_stats" (
	"peer_id" text PRIMARY KEY NOT NULL,
	"bytes_sent" bigint DEFAULT 0 NOT NULL,
	"bytes_received" bigint DEFAULT 0 NOT NULL,
	"last_handshake_at" timestamp with time zone,
	"endpoint" text
);
--> statement-breakpoint
ALTER TABLE "peer_live_stats" ADD CONSTRAINT "peer_live_stats_peer_id_wireguard_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."wireguard_peers"("id") ON DELETE cascade ON UPDATE no action;