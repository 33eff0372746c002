-- Every agent push rewrites the live row of each active device, its open
-- session and its counters. Free room on each page lets those updates stay
-- on the page (HOT updates: no new entry in any index), which halves the
-- cost of a push (docs/decisions/009). Applies to pages written from now on;
-- `VACUUM FULL <table>` rewrites existing ones.
ALTER TABLE "wireguard_peers" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "connection_sessions" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "peer_counters" SET (fillfactor = 50);
