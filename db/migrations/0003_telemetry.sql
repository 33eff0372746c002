CREATE TABLE "agent_pushes" (
	"server_id" text NOT NULL,
	"digest" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_pushes_server_id_digest_pk" PRIMARY KEY("server_id","digest")
);
--> statement-breakpoint
CREATE TABLE "connection_sessions" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"peer_id" text NOT NULL,
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"client_ip" text,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"bytes_up" bigint DEFAULT 0 NOT NULL,
	"bytes_down" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_counters" (
	"public_key" text PRIMARY KEY NOT NULL,
	"server_id" text NOT NULL,
	"rx" bigint NOT NULL,
	"tx" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "traffic_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"peer_id" text NOT NULL,
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"bytes_up" bigint NOT NULL,
	"bytes_down" bigint NOT NULL,
	"client_ip" text
);
--> statement-breakpoint
ALTER TABLE "agent_pushes" ADD CONSTRAINT "agent_pushes_server_id_vpn_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."vpn_servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_sessions" ADD CONSTRAINT "connection_sessions_peer_id_wireguard_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."wireguard_peers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_pushes_received_idx" ON "agent_pushes" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "connection_sessions_open_peer_key" ON "connection_sessions" USING btree ("peer_id") WHERE "connection_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "connection_sessions_user_start_idx" ON "connection_sessions" USING btree ("user_id","started_at");--> statement-breakpoint
CREATE INDEX "connection_sessions_start_idx" ON "connection_sessions" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "connection_sessions_server_open_idx" ON "connection_sessions" USING btree ("server_id") WHERE "connection_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "traffic_samples_user_time_idx" ON "traffic_samples" USING btree ("user_id","sampled_at");--> statement-breakpoint
CREATE INDEX "traffic_samples_peer_time_idx" ON "traffic_samples" USING btree ("peer_id","sampled_at");--> statement-breakpoint
CREATE INDEX "traffic_samples_time_idx" ON "traffic_samples" USING btree ("sampled_at");