CREATE TABLE "ip_leases" (
	"server_id" text NOT NULL,
	"host_index" integer NOT NULL,
	"peer_id" text,
	"state" text DEFAULT 'held' NOT NULL,
	"released_version" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ip_leases_server_id_host_index_pk" PRIMARY KEY("server_id","host_index")
);
--> statement-breakpoint
CREATE TABLE "vpn_servers" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"endpoint_host" text NOT NULL,
	"endpoint_port" integer DEFAULT 51820 NOT NULL,
	"ipv4_pool" text NOT NULL,
	"ipv6_pool" text NOT NULL,
	"dns" text DEFAULT '' NOT NULL,
	"mtu" integer,
	"public_key" text NOT NULL,
	"private_key_sealed" text NOT NULL,
	"agent_token_hash" text,
	"agent_token_prefix" text,
	"next_host_index" integer DEFAULT 0 NOT NULL,
	"capacity" integer NOT NULL,
	"config_version" bigint DEFAULT 1 NOT NULL,
	"config_etag" text,
	"config_etag_version" bigint,
	"pulled_version" bigint,
	"last_config_pull_at" timestamp with time zone,
	"last_heartbeat_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wireguard_peers" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"device_name" text NOT NULL,
	"device_type" text NOT NULL,
	"public_key" text NOT NULL,
	"private_key_sealed" text,
	"preshared_key_sealed" text NOT NULL,
	"host_index" integer NOT NULL,
	"ipv4" text NOT NULL,
	"ipv6" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"key_version" integer DEFAULT 1 NOT NULL,
	"rotation_interval_days" integer NOT NULL,
	"last_key_rotation_at" timestamp with time zone,
	"next_key_rotation_at" timestamp with time zone NOT NULL,
	"bytes_sent" bigint DEFAULT 0 NOT NULL,
	"bytes_received" bigint DEFAULT 0 NOT NULL,
	"last_handshake_at" timestamp with time zone,
	"endpoint" text,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wireguard_peers_status_check" CHECK ("wireguard_peers"."status" in ('active','revoked')),
	CONSTRAINT "wireguard_peers_device_type_check" CHECK ("wireguard_peers"."device_type" in ('ios','android','windows','macos','linux','other'))
);
--> statement-breakpoint
ALTER TABLE "ip_leases" ADD CONSTRAINT "ip_leases_server_id_vpn_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."vpn_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wireguard_peers" ADD CONSTRAINT "wireguard_peers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wireguard_peers" ADD CONSTRAINT "wireguard_peers_server_id_vpn_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."vpn_servers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ip_leases_released_idx" ON "ip_leases" USING btree ("server_id","released_version") WHERE "ip_leases"."state" = 'released';--> statement-breakpoint
CREATE INDEX "ip_leases_peer_idx" ON "ip_leases" USING btree ("peer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vpn_servers_name_key" ON "vpn_servers" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "vpn_servers_public_key_key" ON "vpn_servers" USING btree ("public_key");--> statement-breakpoint
CREATE INDEX "wireguard_peers_user_idx" ON "wireguard_peers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "wireguard_peers_server_idx" ON "wireguard_peers" USING btree ("server_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wireguard_peers_public_key_key" ON "wireguard_peers" USING btree ("public_key");--> statement-breakpoint
CREATE INDEX "wireguard_peers_user_server_idx" ON "wireguard_peers" USING btree ("user_id","server_id");--> statement-breakpoint
CREATE INDEX "wireguard_peers_next_rotation_idx" ON "wireguard_peers" USING btree ("next_key_rotation_at") WHERE "wireguard_peers"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "wireguard_peers_user_name_key" ON "wireguard_peers" USING btree ("user_id",lower("device_name")) WHERE "wireguard_peers"."status" = 'active';