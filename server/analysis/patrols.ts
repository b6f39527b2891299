/**
 * Patrol coverage for a month: which 1 km road units a patrol covered (its track within buffer_m
 * of the unit along at least min_share of it, setting patrol_coverage), which were covered before
 * but not this month, and which were never covered; per unit, per village and in total.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import type { Month, RoadRef } from './params.js';

export type PatrolStatus = 'covered' | 'earlier' | 'never';

interface UnitRow {
  unit_id: number; road_id: number; road_code: string; k: number; length_m: number; village: string | null;
  month_share: number; month_patrols: number; inspectors: string[]; last_patrolled_on: string | null; ever: boolean; geometry: string;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** The first day of a month and of the next, as calendar dates (patrolled_on is a Shanghai day). */
export function monthDays(month: string): [string, string] {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [`${month}-01`, `${next}-01`];
}

/** A unit's state for the month: covered by a patrol this month, only before, or never. */
export function patrolStatus(u: { month_patrols: number; ever: boolean }): PatrolStatus {
  if (u.month_patrols > 0) return 'covered';
  return u.ever ? 'earlier' : 'never';
}

export async function patrolCoverage(db: Queryable, p: { roads: RoadRef[]; roadCodes: string[] | 'all'; month: Month; buffer_m: number; min_share: number }) {
  const [from, to] = monthDays(p.month.month);
  const { rows } = await db.query<UnitRow>(sqlFile('analysis/patrol_coverage'), [from, to, p.buffer_m, p.min_share, p.roads.map((r) => r.id)]);
  const { rows: tracks } = await db.query<{ id: number; inspector: string; patrolled_on: string; length_m: number; geometry: string }>(
    sqlFile('analysis/patrol_tracks'), [from, to]);
  const units = rows.map((u) => ({
    unit_id: Number(u.unit_id),
    road_code: u.road_code,
    stake: `K${u.k}+000`,
    length_m: round(u.length_m, 1),
    village: u.village,
    status: patrolStatus(u),
    month_share_pct: round(100 * u.month_share, 1),
    patrols: u.month_patrols,
    inspectors: u.inspectors,
    last_patrolled_on: u.last_patrolled_on,
    geometry: JSON.parse(u.geometry) as GeoJSON.Geometry,
  }));
  const tally = (us: typeof units) => {
    const km = (s?: PatrolStatus) => us.filter((u) => !s || u.status === s).reduce((t, u) => t + u.length_m, 0) / 1000;
    const count = (s: PatrolStatus) => us.filter((u) => u.status === s).length;
    const length = km();
    return {
      units: us.length,
      length_km: round(length, 3),
      covered_units: count('covered'),
      covered_km: round(km('covered'), 3),
      covered_pct: length > 0 ? round((100 * km('covered')) / length, 1) : 0,
      earlier_units: count('earlier'),
      never_units: count('never'),
      never_km: round(km('never'), 3),
    };
  };
  const byVillage = new Map<string | null, typeof units>();
  for (const u of units) byVillage.set(u.village, [...(byVillage.get(u.village) ?? []), u]);
  const inspectors = new Map<string, { inspector: string; patrols: number; length_km: number }>();
  for (const t of tracks) {
    const s = inspectors.get(t.inspector) ?? { inspector: t.inspector, patrols: 0, length_km: 0 };
    s.patrols += 1;
    s.length_km = round(s.length_km + t.length_m / 1000, 3);
    inspectors.set(t.inspector, s);
  }
  return {
    parameters: { month: p.month.month, buffer_m: p.buffer_m, min_share: p.min_share, roads: p.roadCodes, time_zone: 'Asia/Shanghai' },
    total: { ...tally(units), patrols: tracks.length },
    villages: [...byVillage].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'zh')))
      .map(([village, us]) => ({ village, ...tally(us) })),
    inspectors: [...inspectors.values()].sort((a, b) => a.inspector.localeCompare(b.inspector, 'zh')),
    units,
    tracks: tracks.map((t) => ({ id: Number(t.id), inspector: t.inspector, patrolled_on: t.patrolled_on, length_m: round(t.length_m, 1), geometry: JSON.parse(t.geometry) as GeoJSON.Geometry })),
  };
}

export type PatrolCoverage = Awaited<ReturnType<typeof patrolCoverage>>;
