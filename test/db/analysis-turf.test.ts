/**
 * A second, independent implementation with @turf/turf, run on the demo township: it must agree
 * with the SQL of migration 006 within 0.5 m for setback distances and 0.1 % for coverage shares.
 * Turf measures on a sphere, PostGIS on the spheroid: the two differ by well under 0.5 % of a
 * distance, i.e. under 5 cm at 10 m.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { Feature, LineString, MultiLineString, Point, Polygon, MultiPolygon } from 'geojson';
import type { Db } from '../../server/db/index.js';
import { testDb, resetData } from '../helpers/db.js';
import { seedDemo, DEMO_DIR } from '../../server/seed/demo.js';
import { setback, SETBACK_KINDS, SETBACK_STATUSES } from '../../server/analysis/setback.js';
import { facilities } from '../../server/analysis/coverage.js';
import type { RoadRef } from '../../server/analysis/params.js';

type Road = Feature<LineString | MultiLineString, { code: string; width_m: number | null }>;
type Site = Feature<Point | Polygon | MultiPolygon, { kind: string; status: string }>;
const read = <T>(name: string): T[] => JSON.parse(readFileSync(`${DEMO_DIR}${name}.geojson`, 'utf8')).features;

let db: Db;
let roadRefs: RoadRef[];
const roads = read<Road>('roads');
const sites = read<Site>('demolition_sites');

beforeAll(async () => {
  db = await testDb();
  await resetData(db);
  await seedDemo(db);
  roadRefs = (await db.query<RoadRef>('SELECT id, code, name, class, width_m FROM roads ORDER BY id')).rows;
});

/** Metres from a site (point, or nearest point of a polygon) to a road's centre line. */
function distanceToRoad(site: Site, road: Road): number {
  const lines = road.geometry.type === 'LineString' ? [road.geometry.coordinates] : road.geometry.coordinates;
  const points: number[][] = site.geometry.type === 'Point' ? [site.geometry.coordinates] : turf.coordAll(site);
  let best = Infinity;
  for (const coords of lines) {
    const l = turf.lineString(coords);
    for (const p of points) best = Math.min(best, turf.pointToLineDistance(turf.point(p), l, { units: 'meters', method: 'geodesic' }));
    // a polygon crossing the road is at distance 0
    if (site.geometry.type !== 'Point' && turf.booleanIntersects(site as Feature<Polygon>, l)) best = 0;
  }
  return best;
}

/** Centre-line distances of the setback structures to the roads whose box (plus ~30 m) holds them. */
const nearby = new Map<number, { road: Road; distance: number }[]>();
sites.forEach((s, i) => {
  if (!SETBACK_KINDS.includes(s.properties.kind) || !SETBACK_STATUSES.includes(s.properties.status)) return;
  const [x0, y0, x1, y1] = turf.bbox(s);
  for (const r of roads) {
    const [a, b, c, d] = turf.bbox(r);
    if (x1 < a - 0.0004 || x0 > c + 0.0004 || y1 < b - 0.0003 || y0 > d + 0.0003) continue;
    nearby.set(i + 1, [...(nearby.get(i + 1) ?? []), { road: r, distance: distanceToRoad(s, r) }]);
  }
});

/** Turf's setback: nearest road among those whose setback the structure breaks. */
function turfSetback(edge: boolean, limit = 10): Map<number, { road: string; distance: number }> {
  const out = new Map<number, { road: string; distance: number }>();
  nearby.forEach((near, id) => {
    for (const { road: r, distance } of near) {
      const d = Math.max(distance - (edge ? (r.properties.width_m ?? 0) / 2 : 0), 0);
      const prev = out.get(id);
      if (d < limit && (!prev || d < prev.distance)) out.set(id, { road: r.properties.code, distance: d });
    }
  });
  return out;
}

describe('the SQL analyses agree with turf on the demo township', () => {
  for (const reference of ['centerline', 'edge'] as const) {
    it(`setback, ${reference}: the same structures, the same roads, distances within 0.5 m`, async () => {
      const { report } = await setback(db, { roads: roadRefs, roadCodes: 'all', reference, village: null, statuses: SETBACK_STATUSES });
      const expected = turfSetback(reference === 'edge');
      // A structure within 0.5 m of the limit may fall either way (the demo has some exactly at
      // it, e.g. 13 m from the centre of a 6 m road is 10 m from its edge): those are left out.
      const borderline = new Set(turfSetback(reference === 'edge', 10.5).keys());
      for (const id of turfSetback(reference === 'edge', 9.5).keys()) borderline.delete(id);
      const sql = new Map(report.violations.map((v) => [v.site_id, v]));
      const firm = (ids: Iterable<number>) => [...ids].filter((id) => !borderline.has(id)).sort((a, b) => a - b);
      expect(firm(sql.keys())).toEqual(firm(expected.keys()));
      for (const [id, t] of expected) {
        if (!sql.has(id)) continue; // borderline, see above
        expect(sql.get(id)!.road_code, `site ${id}`).toBe(t.road);
        expect(Math.abs(sql.get(id)!.distance_m - t.distance), `site ${id}`).toBeLessThan(0.5);
      }
      expect(expected.size).toBeGreaterThan(30);
    });
  }

  it('facility coverage of S225 and 包王路 (50 m): the share of length within 0.1 %', async () => {
    const facilitiesGood = read<Feature<Point, { kind: string; condition: string }>>('sanitation_facilities')
      .filter((f) => ['garbage_pool', 'bin'].includes(f.properties.kind) && f.properties.condition === 'good');
    const d = 50;
    for (const code of ['S225', 'Y001']) {
      const road = roads.find((r) => r.properties.code === code)! as Feature<LineString>;
      const near = facilitiesGood.filter((f) => turf.pointToLineDistance(f, road, { units: 'meters' }) <= d + 1);
      const length = turf.length(road, { units: 'meters' });
      const step = 0.5;
      let covered = 0;
      let samples = 0;
      for (let at = step / 2; at < length; at += step) {
        const p = turf.along(road, at, { units: 'meters' });
        samples++;
        if (near.some((f) => turf.distance(p, f, { units: 'meters' }) <= d)) covered++;
      }
      const turfShare = covered / samples;
      const ref = roadRefs.filter((r) => r.code === code);
      const r = await facilities(db, { roads: ref, roadCodes: [code], distance_m: d, suggest: 0 });
      expect(Math.abs(r.roads[0].covered_pct / 100 - turfShare), code).toBeLessThan(0.001);
      expect(turfShare).toBeGreaterThan(0.05);
      expect(turfShare).toBeLessThan(1);
    }
  });
});
