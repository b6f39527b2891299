-- A version number on every feature for optimistic concurrency (ETag / If-Match on the item
-- routes). A counter rather than updated_at: now() is the transaction's start time and its
-- resolution depends on the engine's clock, so two quick writes could share a timestamp and a
-- stale ETag would match again. The counter changes on every UPDATE, from the API or from psql,
-- because the trigger that already stamps updated_at bumps it too.
ALTER TABLE roads ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE villages ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE waterways ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE garbage_points ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE sanitation_facilities ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE afforestation_plots ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE demolition_sites ADD COLUMN version bigint NOT NULL DEFAULT 1;

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  NEW.version := OLD.version + 1;
  RETURN NEW;
END $$;
