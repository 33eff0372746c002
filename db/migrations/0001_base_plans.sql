-- The three plans every installation starts with; admins edit them later.
-- A null device_limit means DEFAULT_DEVICE_LIMIT from the environment.
INSERT INTO "plans" ("id", "name", "device_limit", "price_cents", "monthly_data_gb", "is_default") VALUES
  ('free', 'Free', NULL, 0, NULL, true),
  ('basic', 'Basic', 10, 499, NULL, false),
  ('premium', 'Premium', 20, 999, NULL, false)
ON CONFLICT ("id") DO NOTHING;
