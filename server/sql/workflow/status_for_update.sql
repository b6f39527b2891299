-- The status of one feature, locked until the transaction ends so that two transitions of the
-- same feature are judged one after the other. {{table}} comes from the registry.
SELECT t.status, t.version::text AS version FROM {{table}} t WHERE t.id = $1 FOR UPDATE
