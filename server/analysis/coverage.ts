/**
 * Facility coverage (share of road length near a good garbage pool or bin, uncovered stretches,
 * suggested bin sites) and green-corridor coverage (share of length, per side, with an
 * afforestation plot nearby). The geometry work is in migration 006.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import type { RoadRef } from './params.js';

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const pct = (part: number, all: number) => (all > 0 ? round((100 * part) / all) : 0);

export async function facilities(db: Queryable, p: { roads: RoadRef[]; roadCodes: string[] | 'all'; distance_m: number; suggest: number }) {
  const ids = p.roads.map((r) => r.id);
  const { rows } = await db.query<{ road_id: number; length_m: number; covered_m: number; uncovered: string | null }>(
    'SELECT road_id, length_m, coalesce(covered_m, 0) AS covered_m, ST_AsGeoJSON(uncovered, 7) AS uncovered FROM facility_coverage($1::bigint[], $2::float8)',
    [ids, p.distance_m]);
  const { rows: villages } = await db.query<{ village: string | null; length_m: number; covered_m: number }>(sqlFile('analysis/facility_villages'), [ids, p.distance_m]);
  const { rows: sites } = await db.query<{ rank: number; lon: number; lat: number; covers_m: number }>(
    'SELECT rank, ST_X(geom) AS lon, ST_Y(geom) AS lat, covers_m FROM suggest_bin_sites($1::bigint[], $2::float8, $3::int) ORDER BY rank',
    [ids, p.distance_m, p.suggest]);
  const byRoad = new Map(p.roads.map((r) => [r.id, r]));
  const codes = [...new Set(rows.map((r) => byRoad.get(r.road_id)!.code))];
  const sum = (rs: typeof rows, k: 'length_m' | 'covered_m') => rs.reduce((s, r) => s + r[k], 0);
  return {
    parameters: { distance_m: p.distance_m, roads: p.roadCodes, facilities: { kind: ['garbage_pool', 'bin'], condition: 'good' }, suggest: p.suggest },
    total: { length_km: round(sum(rows, 'length_m') / 1000, 3), covered_km: round(sum(rows, 'covered_m') / 1000, 3), covered_pct: pct(sum(rows, 'covered_m'), sum(rows, 'length_m')) },
    roads: codes.map((code) => {
      const rs = rows.filter((r) => byRoad.get(r.road_id)!.code === code);
      return { code, name: byRoad.get(rs[0].road_id)!.name, length_km: round(sum(rs, 'length_m') / 1000, 3), covered_km: round(sum(rs, 'covered_m') / 1000, 3), covered_pct: pct(sum(rs, 'covered_m'), sum(rs, 'length_m')) };
    }),
    villages: villages.map((v) => ({ name: v.village, length_km: round(v.length_m / 1000, 3), covered_km: round(v.covered_m / 1000, 3), covered_pct: pct(v.covered_m, v.length_m) })),
    uncovered: {
      type: 'FeatureCollection',
      features: rows.filter((r) => r.uncovered && r.length_m - r.covered_m >= 1).map((r) => ({
        type: 'Feature',
        geometry: JSON.parse(r.uncovered!),
        properties: { road_code: byRoad.get(r.road_id)!.code, uncovered_m: round(r.length_m - r.covered_m, 1) },
      })),
    },
    suggested_sites: sites.map((s) => ({ rank: s.rank, lon: round(s.lon, 7), lat: round(s.lat, 7), covers_m: round(s.covers_m, 1) })),
  };
}

export async function greenCorridor(db: Queryable, p: { roads: RoadRef[]; roadCodes: string[] | 'all'; distance_m: number }) {
  const { rows } = await db.query<{ road_id: number; side: 'left' | 'right'; length_m: number; covered_m: number }>(
    'SELECT * FROM green_corridor($1::bigint[], $2::float8) ORDER BY road_id, side', [p.roads.map((r) => r.id), p.distance_m]);
  const byRoad = new Map(p.roads.map((r) => [r.id, r]));
  const codes = [...new Set(rows.map((r) => byRoad.get(r.road_id)!.code))];
  const side = (rs: typeof rows, s: 'left' | 'right') => {
    const these = rs.filter((r) => r.side === s);
    const length = these.reduce((a, r) => a + r.length_m, 0);
    const covered = these.reduce((a, r) => a + r.covered_m, 0);
    return { covered_km: round(covered / 1000, 3), covered_pct: pct(covered, length) };
  };
  return {
    parameters: { distance_m: p.distance_m, roads: p.roadCodes, sides: 'left and right of the direction from the road\'s start (K0+000)' },
    roads: codes.map((code) => {
      const rs = rows.filter((r) => byRoad.get(r.road_id)!.code === code);
      return {
        code,
        name: byRoad.get(rs[0].road_id)!.name,
        length_km: round(rs.filter((r) => r.side === 'left').reduce((a, r) => a + r.length_m, 0) / 1000, 3),
        left: side(rs, 'left'),
        right: side(rs, 'right'),
      };
    }),
  };
}
