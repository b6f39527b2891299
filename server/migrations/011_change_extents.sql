-- A write now announces where it happened: the payload of `collection_changed` is the table name
-- and the extent (lon/lat) of the rows it inserted, updated (before and after) or deleted, e.g.
-- "garbage_points 117.2 32.9 117.21 32.91". The tile cache drops only the cached tiles that
-- extent meets, so an import of 100 points in one village no longer re-renders the county's
-- tiles. TRUNCATE (and any payload without an extent) still means the whole collection.
-- One function for the three events: PL/pgSQL plans each branch when it first runs, so a branch
-- naming a transition table that this event does not have is never planned.
CREATE FUNCTION notify_collection_extent() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e box2d;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT ST_Extent(geom) INTO e FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT ST_Extent(geom) INTO e FROM (SELECT geom FROM old_rows UNION ALL SELECT geom FROM new_rows) g;
  ELSE
    SELECT ST_Extent(geom) INTO e FROM old_rows;
  END IF;
  -- No row changed, no tile changed.
  IF e IS NOT NULL THEN
    PERFORM pg_notify('collection_changed',
      format('%s %s %s %s %s', TG_TABLE_NAME, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)));
  END IF;
  RETURN NULL;
END $$;

-- The statement triggers of 003 stay for TRUNCATE only; three with transition tables replace
-- them for INSERT, UPDATE and DELETE (a trigger with transition tables fires on one event).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['roads', 'villages', 'waterways', 'garbage_points', 'sanitation_facilities', 'afforestation_plots', 'demolition_sites'] LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', t || '_changed', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change()', t || '_truncated', t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_extent()', t || '_inserted', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_extent()', t || '_updated', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_extent()', t || '_deleted', t);
  END LOOP;
END $$;
