CREATE TABLE "support_tickets" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"ticket_number" text NOT NULL,
	"user_id" text NOT NULL,
	"assigned_to_id" text,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"priority" text DEFAULT 'medium' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sla_response_due_at" timestamp with time zone NOT NULL,
	"sla_due_at" timestamp with time zone NOT NULL,
	"sla_response_breached" boolean DEFAULT false NOT NULL,
	"sla_response_breached_at" timestamp with time zone,
	"sla_breached" boolean DEFAULT false NOT NULL,
	"sla_breached_at" timestamp with time zone,
	"sla_paused_at" timestamp with time zone,
	"sla_paused_seconds" bigint DEFAULT 0 NOT NULL,
	"first_response_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"user_rating" integer,
	"user_feedback" text,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_tickets_category_check" CHECK ("support_tickets"."category" in ('technical','billing','account','vpn_connection','feature_request','bug_report','other')),
	CONSTRAINT "support_tickets_priority_check" CHECK ("support_tickets"."priority" in ('low','medium','high','urgent')),
	CONSTRAINT "support_tickets_status_check" CHECK ("support_tickets"."status" in ('open','in_progress','waiting_user','waiting_support','resolved','closed')),
	CONSTRAINT "support_tickets_rating_check" CHECK ("support_tickets"."user_rating" is null or "support_tickets"."user_rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "ticket_attachments" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"ticket_id" text NOT NULL,
	"message_id" text,
	"uploader_id" text,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_counters" (
	"month" text PRIMARY KEY NOT NULL,
	"last" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_messages" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"ticket_id" text NOT NULL,
	"user_id" text,
	"message" text NOT NULL,
	"is_internal" boolean DEFAULT false NOT NULL,
	"is_automated" boolean DEFAULT false NOT NULL,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_usage_metrics" (
	"user_id" text NOT NULL,
	"date" date NOT NULL,
	"connections" integer DEFAULT 0 NOT NULL,
	"connection_seconds" bigint DEFAULT 0 NOT NULL,
	"bytes_uploaded" bigint DEFAULT 0 NOT NULL,
	"bytes_downloaded" bigint DEFAULT 0 NOT NULL,
	"avg_latency_ms" double precision,
	"avg_throughput_bps" double precision DEFAULT 0 NOT NULL,
	"servers_used" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_usage_metrics_user_id_date_pk" PRIMARY KEY("user_id","date")
);
--> statement-breakpoint
CREATE TABLE "system_metrics" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"total_users" integer DEFAULT 0 NOT NULL,
	"active_users_24h" integer DEFAULT 0 NOT NULL,
	"active_users_7d" integer DEFAULT 0 NOT NULL,
	"active_users_30d" integer DEFAULT 0 NOT NULL,
	"new_users_today" integer DEFAULT 0 NOT NULL,
	"total_connections" integer DEFAULT 0 NOT NULL,
	"active_connections" integer DEFAULT 0 NOT NULL,
	"avg_session_seconds" double precision DEFAULT 0 NOT NULL,
	"total_servers" integer DEFAULT 0 NOT NULL,
	"healthy_servers" integer DEFAULT 0 NOT NULL,
	"degraded_servers" integer DEFAULT 0 NOT NULL,
	"offline_servers" integer DEFAULT 0 NOT NULL,
	"avg_server_load" double precision DEFAULT 0 NOT NULL,
	"bandwidth_24h_bytes" bigint DEFAULT 0 NOT NULL,
	"avg_throughput_bps" double precision DEFAULT 0 NOT NULL,
	"peak_throughput_bps" double precision DEFAULT 0 NOT NULL,
	"avg_latency_ms" double precision,
	"total_subscriptions" integer DEFAULT 0 NOT NULL,
	"active_subscriptions" integer DEFAULT 0 NOT NULL,
	"mrr_cents" bigint DEFAULT 0 NOT NULL,
	"churn_rate" double precision DEFAULT 0 NOT NULL,
	"open_tickets" integer DEFAULT 0 NOT NULL,
	"tickets_resolved_24h" integer DEFAULT 0 NOT NULL,
	"avg_resolution_seconds" double precision,
	"abuse_incidents_24h" integer DEFAULT 0 NOT NULL,
	"failed_logins_24h" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_usage_stats" (
	"user_id" text PRIMARY KEY NOT NULL,
	"total_connections" integer DEFAULT 0 NOT NULL,
	"active_connections" integer DEFAULT 0 NOT NULL,
	"total_connection_seconds" bigint DEFAULT 0 NOT NULL,
	"avg_session_seconds" double precision DEFAULT 0 NOT NULL,
	"last_connection_at" timestamp with time zone,
	"total_bytes_uploaded" bigint DEFAULT 0 NOT NULL,
	"total_bytes_downloaded" bigint DEFAULT 0 NOT NULL,
	"total_data_gb" double precision DEFAULT 0 NOT NULL,
	"current_month_bytes" bigint DEFAULT 0 NOT NULL,
	"avg_bandwidth_bps" double precision DEFAULT 0 NOT NULL,
	"favorite_server_id" text,
	"unique_servers_used" integer DEFAULT 0 NOT NULL,
	"server_switch_count" integer DEFAULT 0 NOT NULL,
	"avg_latency_ms" double precision,
	"avg_throughput_bps" double precision DEFAULT 0 NOT NULL,
	"connection_failures" integer DEFAULT 0 NOT NULL,
	"connection_success_rate" double precision DEFAULT 1 NOT NULL,
	"total_logins" integer DEFAULT 0 NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"last_login_at" timestamp with time zone,
	"account_age_days" integer DEFAULT 0 NOT NULL,
	"total_renewals" integer DEFAULT 0 NOT NULL,
	"lifetime_value_cents" bigint DEFAULT 0 NOT NULL,
	"current_tier" text,
	"total_tickets" integer DEFAULT 0 NOT NULL,
	"open_tickets" integer DEFAULT 0 NOT NULL,
	"avg_resolution_seconds" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abuse_detection_logs" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"user_id" text NOT NULL,
	"incident_type" text NOT NULL,
	"severity" text NOT NULL,
	"description" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"detection_method" text DEFAULT 'automated' NOT NULL,
	"action_taken" text DEFAULT 'none' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_id" text,
	"resolution_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "abuse_logs_type_check" CHECK ("abuse_detection_logs"."incident_type" in ('excessive_bandwidth','rapid_reconnects','concurrent_connections','suspicious_traffic_pattern','account_sharing')),
	CONSTRAINT "abuse_logs_severity_check" CHECK ("abuse_detection_logs"."severity" in ('low','medium','high','critical')),
	CONSTRAINT "abuse_logs_status_check" CHECK ("abuse_detection_logs"."status" in ('pending','investigating','resolved','false_positive'))
);
--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_tickets" ADD CONSTRAINT "support_tickets_assigned_to_id_users_id_fk" FOREIGN KEY ("assigned_to_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_ticket_id_support_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."support_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_message_id_ticket_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."ticket_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_attachments" ADD CONSTRAINT "ticket_attachments_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_ticket_id_support_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."support_tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_messages" ADD CONSTRAINT "ticket_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_usage_metrics" ADD CONSTRAINT "daily_usage_metrics_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_usage_stats" ADD CONSTRAINT "user_usage_stats_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD CONSTRAINT "abuse_detection_logs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD CONSTRAINT "abuse_detection_logs_resolved_by_id_users_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "support_tickets_number_key" ON "support_tickets" USING btree ("ticket_number");--> statement-breakpoint
CREATE INDEX "support_tickets_user_idx" ON "support_tickets" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "support_tickets_status_idx" ON "support_tickets" USING btree ("status");--> statement-breakpoint
CREATE INDEX "support_tickets_priority_idx" ON "support_tickets" USING btree ("priority");--> statement-breakpoint
CREATE INDEX "support_tickets_category_idx" ON "support_tickets" USING btree ("category");--> statement-breakpoint
CREATE INDEX "support_tickets_created_idx" ON "support_tickets" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "support_tickets_assignee_idx" ON "support_tickets" USING btree ("assigned_to_id");--> statement-breakpoint
CREATE INDEX "support_tickets_queue_idx" ON "support_tickets" USING btree ("sla_due_at","id") WHERE "support_tickets"."status" not in ('resolved','closed');--> statement-breakpoint
CREATE INDEX "ticket_attachments_ticket_idx" ON "ticket_attachments" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_attachments_message_idx" ON "ticket_attachments" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "ticket_messages_ticket_idx" ON "ticket_messages" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "daily_usage_metrics_date_idx" ON "daily_usage_metrics" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "system_metrics_timestamp_key" ON "system_metrics" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "abuse_logs_user_idx" ON "abuse_detection_logs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "abuse_logs_type_idx" ON "abuse_detection_logs" USING btree ("incident_type");--> statement-breakpoint
CREATE INDEX "abuse_logs_severity_idx" ON "abuse_detection_logs" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "abuse_logs_status_idx" ON "abuse_detection_logs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "abuse_logs_detected_idx" ON "abuse_detection_logs" USING btree ("detected_at");--> statement-breakpoint
CREATE UNIQUE INDEX "abuse_logs_open_key" ON "abuse_detection_logs" USING btree ("user_id","incident_type") WHERE "abuse_detection_logs"."status" in ('pending','investigating');