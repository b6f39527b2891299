/**
 * Workflow rows made by direct SQL, for tests of the parts built on them (notices, ranking, the
 * monthly report) without going through their routes: findings, photos (optionally with a file
 * under DATA_DIR/media), villages, roads, notices, plantings and survival checks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Queryable } from '../../server/db/index.js';

/** Empties the workflow tables (ids restart at 1) and the notice counters. */
export async function resetWorkflow(db: Queryable): Promise<void> {
  await db.exec('TRUNCATE notice_events, notice_findings, notices, notice_numbers, status_events, survival_checks, plantings, findings, patrols, photos RESTART IDENTITY CASCADE');
}

export interface FindingRow {
  lon: number;
  lat: number;
  village: string | null;
  category?: string;
  status?: string;
  road_code?: string;
  stake?: string;
  description?: string;
  photo_ids?: number[];
  /** RFC 3339; default now. */
  found_at?: string;
  repeat_of?: number;
}

export async function insertFinding(db: Queryable, f: FindingRow): Promise<number> {
  // The server derives village, road, stake and repeat_of from the place (migration 013's
  // trigger); these fixtures pin them instead, so a test can name them without drawing them.
  await db.query('ALTER TABLE findings DISABLE TRIGGER findings_derive');
  try {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO findings (category, status, village, road_code, stake, description, photo_ids, found_at, repeat_of, geom)
       VALUES ($1, $2, $3, $4, $5, $6, $7::bigint[], coalesce($8::timestamptz, now()), $9, ST_SetSRID(ST_MakePoint($10, $11), 4326)) RETURNING id`,
      [f.category ?? 'roadside_garbage', f.status ?? 'open', f.village, f.road_code ?? null, f.stake ?? null, f.description ?? null, f.photo_ids ?? [],
        f.found_at ?? null, f.repeat_of ?? null, f.lon, f.lat]);
    return Number(rows[0].id);
  } finally {
    await db.query('ALTER TABLE findings ENABLE TRIGGER findings_derive');
  }
}

/**
 * A photo row; with `dataDir`, also a small JPEG at DATA_DIR/media/<path> (the thumbnail and
 * original share it). lon/lat null: a photo without a position.
 */
export async function insertPhoto(db: Queryable, p: { lon: number | null; lat: number | null; dataDir?: string; color?: string }): Promise<number> {
  const color = p.color ?? '#4a7';
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: color } }).jpeg().toBuffer();
  const sha = createHash('sha256').update(jpeg).update(String(Math.random())).digest('hex');
  const rel = `test/${sha.slice(0, 12)}.jpg`;
  if (p.dataDir) {
    const file = join(p.dataDir, 'media', rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, jpeg);
  }
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO photos (sha256, mime, bytes, width, height, original_path, thumbnail_path, geom)
     VALUES ($1, 'image/jpeg', $2, 64, 48, $3, $3, CASE WHEN $4::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($4, $5), 4326) END) RETURNING id`,
    [sha, jpeg.length, rel, p.lon, p.lat]);
  return rows[0].id;
}

export async function insertVillage(db: Queryable, name: string, ring: [number, number][]): Promise<void> {
  await db.query(`INSERT INTO villages (name, township, geom) VALUES ($1, '测试镇', ST_GeomFromGeoJSON($2))`,
    [name, JSON.stringify({ type: 'Polygon', coordinates: [ring] })]);
}

export async function insertRoad(db: Queryable, code: string, coords: [number, number][], cls = 'provincial'): Promise<void> {
  await db.query(`INSERT INTO roads (code, name, class, geom) VALUES ($1, $1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326))`,
    [code, cls, JSON.stringify({ type: 'LineString', coordinates: coords })]);
}

/** Metres → degrees near latitude 33° (east, north), for placing points at a known distance. */
export const M = { lon: 1 / (111_320 * Math.cos((33 * Math.PI) / 180)), lat: 1 / 111_320 };

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
