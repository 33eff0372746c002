CREATE TABLE "latency_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"peer_id" text NOT NULL,
	"user_id" text NOT NULL,
	"server_id" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"rtt_ms" double precision NOT NULL
);
--> statement-breakpoint
ALTER TABLE "peer_live_stats" ADD COLUMN "latency_ms" double precision;--> statement-breakpoint
ALTER TABLE "peer_live_stats" ADD COLUMN "latency_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "latency_samples_user_time_idx" ON "latency_samples" USING btree ("user_id","sampled_at");--> statement-breakpoint
CREATE INDEX "latency_samples_time_idx" ON "latency_samples" USING btree ("sampled_at");