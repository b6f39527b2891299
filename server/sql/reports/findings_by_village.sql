-- Findings of a month per village and category ($1 start, $2 end of the month): how many, and
-- how many repeat an earlier one. village is null for findings outside every village.
SELECT village, category,
       count(*)::int AS found,
       count(*) FILTER (WHERE repeat_of IS NOT NULL)::int AS repeats
FROM findings
WHERE found_at >= $1 AND found_at < $2
GROUP BY village, category
ORDER BY village, category
