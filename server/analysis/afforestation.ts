/**
 * Afforestation progress: planned vs planted 亩 by village, year and species, completion, and
 * the plots whose reported planned area differs from their surveyed (geodesic) area by over 10 %.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function afforestation(db: Queryable, p: { year: number | null; village: string | null; species: string | null }) {
  const { rows } = await db.query<{ village: string | null; year: number; species: string | null; plots: number; planned_mu: number; planted_mu: number; area_mu: number }>(
    sqlFile('analysis/afforestation_groups'), [p.year, p.village, p.species]);
  const { rows: mismatches } = await db.query<{ id: number; plot_code: string; village: string | null; planned_mu: number; area_mu: number }>(
    sqlFile('analysis/afforestation_mismatches'), [p.year, p.village, p.species]);
  const total = rows.reduce((t, r) => ({ plots: t.plots + r.plots, planned_mu: t.planned_mu + r.planned_mu, planted_mu: t.planted_mu + r.planted_mu }), { plots: 0, planned_mu: 0, planted_mu: 0 });
  const completion = (planted: number, planned: number) => (planned > 0 ? round((100 * planted) / planned, 1) : 0);
  return {
    parameters: { year: p.year, village: p.village, species: p.species, mismatch_threshold_pct: 10, mu_m2: 10000 / 15 },
    total: { plots: total.plots, planned_mu: round(total.planned_mu), planted_mu: round(total.planted_mu), completion_pct: completion(total.planted_mu, total.planned_mu) },
    groups: rows.map((r) => ({ village: r.village, year: r.year, species: r.species, plots: r.plots, planned_mu: round(r.planned_mu), planted_mu: round(r.planted_mu), area_mu: round(r.area_mu), completion_pct: completion(r.planted_mu, r.planned_mu) })),
    area_mismatches: mismatches.map((m) => ({ id: m.id, plot_code: m.plot_code, village: m.village, planned_mu: round(m.planned_mu), area_mu: round(m.area_mu), difference_pct: round((100 * (m.planned_mu - m.area_mu)) / m.area_mu) })),
  };
}
