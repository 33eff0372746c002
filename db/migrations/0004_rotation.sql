CREATE TABLE "peer_previous_keys" (
	"public_key" text PRIMARY KEY NOT NULL,
	"peer_id" text NOT NULL,
	"server_id" text NOT NULL,
	"preshared_key_sealed" text NOT NULL,
	"host_index" integer NOT NULL,
	"ipv4" text NOT NULL,
	"ipv6" text NOT NULL,
	"key_version" integer NOT NULL,
	"grace_until" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	"retired_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wireguard_peers" ADD COLUMN "rotation_reminded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "peer_counters" ADD COLUMN "last_handshake_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "peer_previous_keys" ADD CONSTRAINT "peer_previous_keys_peer_id_wireguard_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."wireguard_peers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "peer_previous_keys_peer_idx" ON "peer_previous_keys" USING btree ("peer_id");--> statement-breakpoint
CREATE INDEX "peer_previous_keys_grace_idx" ON "peer_previous_keys" USING btree ("grace_until") WHERE "peer_previous_keys"."retired_at" is null;--> statement-breakpoint
CREATE INDEX "peer_previous_keys_server_idx" ON "peer_previous_keys" USING btree ("server_id") WHERE "peer_previous_keys"."retired_at" is null;