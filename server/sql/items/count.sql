-- numberMatched for the same conditions as select.sql.
SELECT count(*)::int AS n FROM {{table}} t WHERE {{where}}
