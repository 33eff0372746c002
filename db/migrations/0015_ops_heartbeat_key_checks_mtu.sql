CREATE TABLE "encryption_key_checks" (
	"key_id" text PRIMARY KEY NOT NULL,
	"check_value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Servers created without an MTU get wg-quick's default, which their configs then state.
UPDATE "vpn_servers" SET "mtu" = 1420 WHERE "mtu" IS NULL;--> statement-breakpoint
ALTER TABLE "vpn_servers" ALTER COLUMN "mtu" SET DEFAULT 1420;--> statement-breakpoint
ALTER TABLE "vpn_servers" ALTER COLUMN "mtu" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "job_runs_running_idx" ON "job_runs" USING btree ("heartbeat_at") WHERE "job_runs"."status" = 'running';