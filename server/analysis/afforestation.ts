/**
 * Afforestation progress: planned vs planted 亩 by village, year and species, completion, and
 * the plots whose reported planned area differs from their surveyed (geodesic) area by over 10 %.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { SURVIVAL_OUTCOMES, SURVIVAL_RULE, survivalOutcome, survivalPct, type SurvivalOutcome } from '../greening/survival.js';

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function afforestation(db: Queryable, p: { year: number | null; village: string | null; species: string | null }) {
  const { rows } = await db.query<{ village: string | null; year: number; species: string | null; plots: number; planned_mu: number; planted_mu: number; area_mu: number }>(
    sqlFile('analysis/afforestation_groups'), [p.year, p.village, p.species]);
  const { rows: mismatches } = await db.query<{ id: number; plot_code: string; village: string | null; planned_mu: number; area_mu: number }>(
    sqlFile('analysis/afforestation_mismatches'), [p.year, p.village, p.species]);
  const { rows: checks } = await db.query<{ plot_id: number; plot_code: string; village: string | null; year: number; species: string | null; planted_mu: number; checked_on: string; sample_planted: number; sample_alive: number }>(
    sqlFile('greening/latest_checks'), [p.year, p.village, p.species]);
  const latest = checks.map((c) => ({
    plot_id: Number(c.plot_id), plot_code: c.plot_code, village: c.village, year: c.year, species: c.species, planted_mu: round(c.planted_mu),
    checked_on: c.checked_on, sample_planted: c.sample_planted, sample_alive: c.sample_alive,
    survival_pct: survivalPct(c.sample_alive, c.sample_planted), outcome: survivalOutcome(c.sample_alive, c.sample_planted),
  }));
  const byOutcome = Object.fromEntries(SURVIVAL_OUTCOMES.map((o) => {
    const of = latest.filter((c) => c.outcome === o);
    return [o, { plots: of.length, planted_mu: round(of.reduce((t, c) => t + c.planted_mu, 0)) }];
  })) as Record<SurvivalOutcome, { plots: number; planted_mu: number }>;
  const total = rows.reduce((t, r) => ({ plots: t.plots + r.plots, planned_mu: t.planned_mu + r.planned_mu, planted_mu: t.planted_mu + r.planted_mu }), { plots: 0, planned_mu: 0, planted_mu: 0 });
  const completion = (planted: number, planned: number) => (planned > 0 ? round((100 * planted) / planned, 1) : 0);
  return {
    parameters: { year: p.year, village: p.village, species: p.species, mismatch_threshold_pct: 10, mu_m2: 10000 / 15, survival_rule: SURVIVAL_RULE },
    total: { plots: total.plots, planned_mu: round(total.planned_mu), planted_mu: round(total.planted_mu), completion_pct: completion(total.planted_mu, total.planned_mu) },
    groups: rows.map((r) => ({ village: r.village, year: r.year, species: r.species, plots: r.plots, planned_mu: round(r.planned_mu), planted_mu: round(r.planted_mu), area_mu: round(r.area_mu), completion_pct: completion(r.planted_mu, r.planned_mu) })),
    // Each plot's latest survival check (plots never checked are left out) and the counts by outcome.
    survival: { checked_plots: latest.length, by_outcome: byOutcome, latest_checks: latest },
    area_mismatches: mismatches.map((m) => ({ id: m.id, plot_code: m.plot_code, village: m.village, planned_mu: round(m.planned_mu), area_mu: round(m.area_mu), difference_pct: round((100 * (m.planned_mu - m.area_mu)) / m.area_mu) })),
  };
}
