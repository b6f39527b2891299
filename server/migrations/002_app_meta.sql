-- Small facts about this database that are not features, e.g. when the demo township was loaded
-- (so that a township the user emptied on purpose is not refilled at the next start).
CREATE TABLE app_meta (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
