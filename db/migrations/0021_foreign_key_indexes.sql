DROP INDEX "user_sessions_user_idx";--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_user_idx" ON "sign_in_attempts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "plan_change_requests_user_idx" ON "plan_change_requests" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "plan_change_requests_from_plan_idx" ON "plan_change_requests" USING btree ("from_plan_id");--> statement-breakpoint
CREATE INDEX "plan_change_requests_to_plan_idx" ON "plan_change_requests" USING btree ("to_plan_id");--> statement-breakpoint
CREATE INDEX "plan_change_requests_decided_by_idx" ON "plan_change_requests" USING btree ("decided_by_id");--> statement-breakpoint
CREATE INDEX "subscriptions_plan_idx" ON "subscriptions" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "connection_sessions_peer_idx" ON "connection_sessions" USING btree ("peer_id");--> statement-breakpoint
CREATE INDEX "support_macros_created_by_idx" ON "support_macros" USING btree ("created_by_id");--> statement-breakpoint
CREATE INDEX "ticket_attachments_uploader_idx" ON "ticket_attachments" USING btree ("uploader_id");--> statement-breakpoint
CREATE INDEX "ticket_messages_user_idx" ON "ticket_messages" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "ticket_presence_user_idx" ON "ticket_presence" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "abuse_logs_ticket_idx" ON "abuse_detection_logs" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "abuse_logs_reported_by_idx" ON "abuse_detection_logs" USING btree ("reported_by_id");--> statement-breakpoint
CREATE INDEX "abuse_logs_resolved_by_idx" ON "abuse_detection_logs" USING btree ("resolved_by_id");--> statement-breakpoint
CREATE INDEX "abuse_logs_warning_sent_by_idx" ON "abuse_detection_logs" USING btree ("warning_sent_by_id");--> statement-breakpoint
CREATE INDEX "user_throttles_incident_idx" ON "user_throttles" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "user_throttles_user_idx" ON "user_throttles" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "user_throttles_created_by_idx" ON "user_throttles" USING btree ("created_by_id");--> statement-breakpoint
CREATE INDEX "user_throttles_lifted_by_idx" ON "user_throttles" USING btree ("lifted_by_id");--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");