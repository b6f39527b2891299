-- The plot a greening record is written for, locked until the transaction ends so that two
-- plantings at once both add to planted_mu.
SELECT id, planned_mu, planted_mu, status
FROM afforestation_plots
WHERE id = $1
FOR UPDATE
