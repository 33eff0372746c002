ALTER TABLE "daily_usage_metrics" DROP CONSTRAINT "daily_usage_metrics_user_id_users_id_fk";
--> statement-breakpoint
DROP INDEX "daily_usage_metrics_date_idx";--> statement-breakpoint
ALTER TABLE "connection_sessions" ADD COLUMN "switched_server" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Sessions already recorded: on another server than the same user's previous session (the push marks new ones).
UPDATE "connection_sessions" s SET "switched_server" = true
FROM (SELECT id, server_id <> lag(server_id) OVER (PARTITION BY user_id ORDER BY started_at) AS switched FROM "connection_sessions") x
WHERE x.id = s.id AND x.switched;
