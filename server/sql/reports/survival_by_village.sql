-- Survival checks of a month ($1 first day, $2 first day of the next month) per village of the
-- plot, with the seeds' rule applied to each check's own rate: ≥85 % passes, 41–84 % gap
-- replanting, ≤40 % replant ($3, $4: the two limits in per cent).
SELECT p.village, count(*)::int AS checks,
       sum(s.sample_planted)::int AS sample_planted,
       sum(s.sample_alive)::int AS sample_alive,
       count(*) FILTER (WHERE 100.0 * s.sample_alive / s.sample_planted >= $3)::int AS passed,
       count(*) FILTER (WHERE 100.0 * s.sample_alive / s.sample_planted < $3
                          AND 100.0 * s.sample_alive / s.sample_planted > $4)::int AS gap_replant,
       count(*) FILTER (WHERE 100.0 * s.sample_alive / s.sample_planted <= $4)::int AS replant
FROM survival_checks s
JOIN afforestation_plots p ON p.id = s.plot_id
WHERE s.checked_on >= $1::date AND s.checked_on < $2::date
GROUP BY p.village
ORDER BY p.village
