CREATE TABLE "user_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"user_agent" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text
);
--> statement-breakpoint
CREATE TABLE "peer_public_keys" (
	"public_key" text PRIMARY KEY NOT NULL,
	"peer_id" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_public_keys" ADD CONSTRAINT "peer_public_keys_peer_id_wireguard_peers_id_fk" FOREIGN KEY ("peer_id") REFERENCES "public"."wireguard_peers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id") WHERE "user_sessions"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "peer_public_keys_peer_idx" ON "peer_public_keys" USING btree ("peer_id");--> statement-breakpoint
-- An old key in grace that is also a device's current key (a bring-your-own key accepted before keys were
-- unique across both tables): the current key wins; the old one is retired and its addresses go back.
WITH retired AS (
  UPDATE "peer_previous_keys" k SET "retired_at" = now(), "retired_reason" = 'revoked'
  WHERE k."retired_at" IS NULL AND EXISTS (SELECT 1 FROM "wireguard_peers" p WHERE p."public_key" = k."public_key")
  RETURNING k."server_id", k."host_index"
), bumped AS (
  UPDATE "vpn_servers" s SET "config_version" = s."config_version" + 1
  FROM (SELECT DISTINCT "server_id" FROM retired) r WHERE s."id" = r."server_id"
  RETURNING s."id", s."config_version"
)
UPDATE "ip_leases" l SET "state" = 'released', "peer_id" = NULL, "released_version" = b."config_version", "updated_at" = now()
FROM retired r JOIN bumped b ON b."id" = r."server_id"
WHERE l."server_id" = r."server_id" AND l."host_index" = r."host_index";
--> statement-breakpoint
INSERT INTO "peer_public_keys" ("public_key", "peer_id") SELECT "public_key", "id" FROM "wireguard_peers" ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "peer_public_keys" ("public_key", "peer_id") SELECT "public_key", "peer_id" FROM "peer_previous_keys" ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Every key a device takes is registered in the same statement, set-based (one insert per statement,
-- whatever the number of rows): a key held or once held by another device fails that statement with
-- a unique violation on peer_public_keys_pkey.
CREATE FUNCTION "peer_public_keys_register_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "peer_public_keys" ("public_key", "peer_id") SELECT n."public_key", n."id" FROM new_rows n;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "peer_public_keys_register_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "peer_public_keys" ("public_key", "peer_id")
  SELECT n."public_key", n."id" FROM new_rows n JOIN old_rows o ON o."id" = n."id"
  WHERE n."public_key" <> o."public_key";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "wireguard_peers_keys_inserted" AFTER INSERT ON "wireguard_peers"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "peer_public_keys_register_inserted"();
--> statement-breakpoint
CREATE TRIGGER "wireguard_peers_keys_updated" AFTER UPDATE ON "wireguard_peers"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "peer_public_keys_register_updated"();
--> statement-breakpoint
-- Handshake times from the future (pushes accepted before the parser checked them) would stick forever
-- (the live figure keeps the latest) and break every read of the device: forget them.
UPDATE "peer_live_stats" SET "last_handshake_at" = NULL WHERE "last_handshake_at" > now() + interval '1 day';
--> statement-breakpoint
UPDATE "peer_counters" SET "last_handshake_at" = NULL WHERE "last_handshake_at" > now() + interval '1 day';
