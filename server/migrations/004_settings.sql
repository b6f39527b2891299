-- Rules that planners set (issue "Coverage analytics"): the setback per road class, the corridor
-- grade thresholds, and the reward ledger's amounts. Every analysis reads them when it runs and
-- states the values it used. server/settings/ validates writes; these are the defaults.
CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO settings (key, value) VALUES
  -- "no pig pens, dry toilets or sheds within 10 m of a trunk road" (the seeds): 10 m for every
  -- class. National law measures building-control zones from the road-land edge: G 20, S 15,
  -- X 10, township 5 (planners switch with reference=edge and these values).
  ('setback_m_by_class', '{"national": 10, "provincial": 10, "county": 10, "township": 10, "village": 10}'),
  -- A 1 km unit is excellent with no open garbage point in the month, qualified with at most 3
  -- that were each open at most 7 days, unqualified otherwise.
  ('corridor_grades', '{"excellent_max_open_points": 0, "qualified_max_open_points": 3, "qualified_max_open_days": 7}'),
  -- "每公里按月奖励过境行政村100元" (the seeds); below standard draws a penalty, 0 until set.
  ('corridor_rewards', '{"reward_per_km": 100, "penalty_per_km": 0}');
