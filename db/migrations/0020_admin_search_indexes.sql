CREATE INDEX "users_email_prefix_idx" ON "users" USING btree (lower("email") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wireguard_peers_name_prefix_idx" ON "wireguard_peers" USING btree (lower("device_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wireguard_peers_key_prefix_idx" ON "wireguard_peers" USING btree ("public_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wireguard_peers_ipv4_prefix_idx" ON "wireguard_peers" USING btree ("ipv4" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wireguard_peers_ipv6_prefix_idx" ON "wireguard_peers" USING btree ("ipv6" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wireguard_peers_created_idx" ON "wireguard_peers" USING btree ("created_at","id");