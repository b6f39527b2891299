-- Every committed write to a layer announces itself on the channel `collection_changed` (the
-- table name as payload). NOTIFY is transactional: a rolled-back write says nothing, a committed
-- one is heard after its data is visible. The tile cache listens (server/tiles/cache.ts), so a
-- write by this server, another server process or psql makes the next tile fresh.
CREATE FUNCTION notify_collection_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('collection_changed', TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE TRIGGER roads_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON roads FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER villages_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON villages FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER waterways_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON waterways FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER garbage_points_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON garbage_points FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER sanitation_facilities_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sanitation_facilities FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER afforestation_plots_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON afforestation_plots FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
CREATE TRIGGER demolition_sites_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demolition_sites FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
