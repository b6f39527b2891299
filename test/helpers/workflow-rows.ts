/**
 * Rows of the workflow tables (migration 012) written by direct SQL, for tests of what reads them
 * (ranking, monthly report) without the routes that will write them.
 */
import type { Queryable } from '../../server/db/index.js';

type LonLat = readonly [number, number] | number[];

/** Empties the workflow tables (ids restart at 1). */
export async function clearWorkflow(db: Queryable): Promise<void> {
  await db.exec('TRUNCATE notice_events, notice_findings, notices, status_events, survival_checks, plantings, findings, patrols, photos RESTART IDENTITY CASCADE');
}

export async function insertFinding(db: Queryable, f: { at: LonLat; found_at: string; village: string | null; category?: string; repeat_of?: number; status?: string }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO findings (category, status, found_at, village, repeat_of, geom)
     VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326)) RETURNING id`,
    [f.category ?? 'roadside_garbage', f.status ?? 'open', f.found_at, f.village, f.repeat_of ?? null, f.at[0], f.at[1]]);
  return Number(rows[0].id);
}

export async function insertNotice(db: Queryable, n: { number: string; village: string; issued_at: string; deadline: string; closed_at?: string; status?: string; finding_ids?: number[] }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO notices (number, village, status, deadline, issued_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [n.number, n.village, n.status ?? (n.closed_at ? 'verified' : 'issued'), n.deadline, n.issued_at, n.closed_at ?? null]);
  const id = Number(rows[0].id);
  for (const f of n.finding_ids ?? []) await db.query('INSERT INTO notice_findings (notice_id, finding_id, deadline) VALUES ($1, $2, $3)', [id, f, n.deadline]);
  return id;
}

export async function insertPlanting(db: Queryable, p: { plot_id: number; planted_on: string; planted_mu: number; trees?: number; species?: string }): Promise<void> {
  await db.query('INSERT INTO plantings (plot_id, planted_on, planted_mu, trees, species) VALUES ($1, $2, $3, $4, $5)',
    [p.plot_id, p.planted_on, p.planted_mu, p.trees ?? null, p.species ?? null]);
}

export async function insertSurvivalCheck(db: Queryable, s: { plot_id: number; checked_on: string; sample_planted: number; sample_alive: number }): Promise<void> {
  await db.query('INSERT INTO survival_checks (plot_id, checked_on, sample_planted, sample_alive) VALUES ($1, $2, $3, $4)',
    [s.plot_id, s.checked_on, s.sample_planted, s.sample_alive]);
}
