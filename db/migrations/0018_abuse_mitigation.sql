CREATE TABLE "user_throttles" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"user_id" text NOT NULL,
	"rate_kbit" integer NOT NULL,
	"starts_at" timestamp with time zone DEFAULT now() NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"reason" text,
	"incident_id" text,
	"created_by_id" text,
	"lifted_at" timestamp with time zone,
	"lifted_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_throttles_rate_check" CHECK ("user_throttles"."rate_kbit" between 8 and 10000000)
);
--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD COLUMN "warning_sent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD COLUMN "warning_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD COLUMN "warning_sent_by_id" text;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD COLUMN "reported_by_id" text;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD COLUMN "ticket_id" text;--> statement-breakpoint
ALTER TABLE "user_throttles" ADD CONSTRAINT "user_throttles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_throttles" ADD CONSTRAINT "user_throttles_incident_id_abuse_detection_logs_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."abuse_detection_logs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_throttles" ADD CONSTRAINT "user_throttles_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_throttles" ADD CONSTRAINT "user_throttles_lifted_by_id_users_id_fk" FOREIGN KEY ("lifted_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "user_throttles_active_key" ON "user_throttles" USING btree ("user_id") WHERE "user_throttles"."lifted_at" is null;--> statement-breakpoint
CREATE INDEX "user_throttles_until_idx" ON "user_throttles" USING btree ("until") WHERE "user_throttles"."lifted_at" is null;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD CONSTRAINT "abuse_detection_logs_warning_sent_by_id_users_id_fk" FOREIGN KEY ("warning_sent_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD CONSTRAINT "abuse_detection_logs_reported_by_id_users_id_fk" FOREIGN KEY ("reported_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "abuse_detection_logs" ADD CONSTRAINT "abuse_detection_logs_ticket_id_support_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."support_tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "abuse_logs_user_detected_idx" ON "abuse_detection_logs" USING btree ("user_id","detected_at","id");