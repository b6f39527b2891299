-- The calendar day in Asia/Shanghai of an instant ($1), and its year.
SELECT (($1::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date::text AS today,
       extract(year FROM ($1::timestamptz) AT TIME ZONE 'Asia/Shanghai')::int AS year
