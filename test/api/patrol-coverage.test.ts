/**
 * Patrol coverage over HTTP on a hand-made road: a straight road of 2.5 km along a parallel (units
 * K0 and K1 of 1000 m, K2 of 500 m) in one village, and tracks 10 m beside it. A track along 850 m
 * of a 1000 m unit covers it (its 30 m buffer reaches √(30²−10²) ≈ 28 m past the track's end:
 * 87.8 %), one along 750 m does not (77.8 %). Months are Shanghai calendar months of patrolled_on.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json, feature, line } from '../helpers/app.js';
import { load } from '../helpers/load.js';
import type { Db } from '../../server/db/index.js';

const LAT = 32.95;
const LON = 117.2;
// Metres per degree on the WGS84 ellipsoid at LAT (the radii of curvature, as migration 005).
const E2 = 0.00669437999014;
const MX = (Math.PI / 180) * 6378137 * Math.cos((LAT * Math.PI) / 180) / Math.sqrt(1 - E2 * Math.sin((LAT * Math.PI) / 180) ** 2);
const MY = (Math.PI / 180) * 6378137 * (1 - E2) / (1 - E2 * Math.sin((LAT * Math.PI) / 180) ** 2) ** 1.5;
/** The point x metres east of the road's start and y metres north of it. */
const at = (x: number, y = 0) => [LON + x / MX, LAT + y / MY];
/** A track 10 m north of the road from x0 to x1 metres, a point every 25 m. */
function track(x0: number, x1: number) {
  const pts = [];
  for (let x = x0; x < x1; x += 25) pts.push(at(x, 10));
  pts.push(at(x1, 10));
  return line(pts);
}

let app: FastifyInstance;
let db: Db;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  db = t.db;
  const road = [];
  for (let x = 0; x <= 2500; x += 100) road.push(at(x));
  await load(db, 'roads', [feature(line(road), { code: 'YP01', name: '巡查测试路', class: 'township' })]);
  const [a, b] = [at(-200, -300), at(2700, 300)];
  await load(db, 'villages', [feature({ type: 'Polygon', coordinates: [[a, [b[0], a[1]], b, [a[0], b[1]], a]] }, { name: '测试村', township: '测试镇' })]);
  const patrols = [
    // October: 850 m of K0 by 甲 (covers K0).
    feature(track(0, 850), { inspector: '甲', patrolled_on: '2026-10-05' }),
    // September: 750 m of K1 by 乙 (does not cover K1), all of K2 by 乙 (covers K2).
    feature(track(1000, 1750), { inspector: '乙', patrolled_on: '2026-09-10' }),
    feature(track(2000, 2500), { inspector: '乙', patrolled_on: '2026-09-30' }),
    // The first day of November in Shanghai belongs to November, not October.
    feature(track(1000, 2000), { inspector: '丙', patrolled_on: '2026-11-01' }),
  ];
  for (const p of patrols) {
    const res = await app.inject({ method: 'POST', url: '/api/collections/patrols/items', ...json(p) });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => {
  await app.close();
});

const coverage = async (q: string) => {
  const res = await app.inject(`/api/analysis/patrol-coverage?${q}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const unit = (r: { units: { stake: string }[] }, stake: string) => r.units.find((u) => u.stake === stake) as Record<string, any>;

describe('patrol coverage', () => {
  it('covers a 1000 m unit with a track along 850 m and not with one along 750 m', async () => {
    const oct = await coverage('month=2026-10');
    expect(oct.parameters).toEqual({ month: '2026-10', buffer_m: 30, min_share: 0.8, roads: 'all', time_zone: 'Asia/Shanghai' });
    expect(oct.units.map((u: { stake: string; length_m: number }) => [u.stake, Math.round(u.length_m)])).toEqual([['K0+000', 1000], ['K1+000', 1000], ['K2+000', 500]]);
    const k0 = unit(oct, 'K0+000');
    expect(k0.status).toBe('covered');
    expect(k0.month_share_pct).toBeCloseTo(87.8, 0);
    expect(k0.inspectors).toEqual(['甲']);
    expect(k0.last_patrolled_on).toBe('2026-10-05');
    // K1: only the 750 m track (September), so never covered; K2: covered in September only.
    expect(unit(oct, 'K1+000').status).toBe('never');
    expect(unit(oct, 'K2+000')).toMatchObject({ status: 'earlier', patrols: 0, last_patrolled_on: '2026-09-30', month_share_pct: 0 });
    const sep = await coverage('month=2026-09');
    expect(unit(sep, 'K1+000')).toMatchObject({ status: 'never', patrols: 0 });
    expect(unit(sep, 'K1+000').month_share_pct).toBeCloseTo(77.8, 0);
    expect(unit(sep, 'K2+000')).toMatchObject({ status: 'covered', patrols: 1, inspectors: ['乙'] });
    // Before October's patrol, K0 had never been patrolled.
    expect(unit(sep, 'K0+000').status).toBe('never');
  });

  it('totals per village and in all, and counts the month\'s patrols per inspector', async () => {
    const oct = await coverage('month=2026-10');
    expect(oct.total).toMatchObject({ units: 3, covered_units: 1, earlier_units: 1, never_units: 1, patrols: 1 });
    expect(oct.total.covered_km).toBeCloseTo(1, 2);
    expect(oct.total.never_km).toBeCloseTo(1, 2);
    expect(oct.total.covered_pct).toBeCloseTo(40, 0);
    expect(oct.villages).toHaveLength(1);
    expect(oct.villages[0]).toMatchObject({ village: '测试村', units: 3, covered_units: 1, never_units: 1 });
    expect(oct.inspectors).toEqual([{ inspector: '甲', patrols: 1, length_km: expect.closeTo(0.85, 2) }]);
    const nov = await coverage('month=2026-11');
    expect(unit(nov, 'K1+000')).toMatchObject({ status: 'covered', inspectors: ['丙'] });
    expect(unit(nov, 'K0+000').status).toBe('earlier');
  });

  it('takes min_share and buffer_m from the setting, and from the query', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/settings/patrol_coverage', ...json({ buffer_m: 30, min_share: 0.75 }) });
    expect(put.statusCode, put.body).toBe(200);
    const sep = await coverage('month=2026-09');
    expect(sep.parameters.min_share).toBe(0.75);
    expect(unit(sep, 'K1+000').status).toBe('covered');
    await app.inject({ method: 'PUT', url: '/api/settings/patrol_coverage', ...json({ buffer_m: 30, min_share: 0.8 }) });
    expect(unit(await coverage('month=2026-09&min_share=0.75'), 'K1+000').status).toBe('covered');
    // 5 m from a track 10 m away: nothing of the road is within reach.
    expect(unit(await coverage('month=2026-10&buffer_m=5'), 'K0+000')).toMatchObject({ status: 'never', month_share_pct: 0 });
  });

  it('answers CSV and GeoJSON', async () => {
    const csv = await app.inject('/api/analysis/patrol-coverage?month=2026-10&f=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [head, ...rows] = csv.body.trim().split('\n');
    expect(head.replace(/^\uFEFF/, '')).toContain('status');
    expect(rows).toHaveLength(3);
    const geo = await app.inject('/api/analysis/patrol-coverage?month=2026-10&f=geojson');
    const fc = geo.json();
    expect(fc.features.filter((f: any) => f.properties.layer === 'patrol_unit')).toHaveLength(3);
    expect(fc.features.filter((f: any) => f.properties.layer === 'patrol_track')).toHaveLength(1);
  });

  it('refuses a bad month, buffer or share with 400 naming the parameter', async () => {
    for (const [q, parameter] of [['month=2026-13', 'month'], ['month=2999-01', 'month'], ['min_share=2', 'min_share'], ['min_share=abc', 'min_share'], ['buffer_m=-1', 'buffer_m'], ['roads=NOPE', 'roads']]) {
      const res = await app.inject(`/api/analysis/patrol-coverage?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().details[0].parameter, q).toBe(parameter);
    }
  });

  it('reaches the tracks near each unit through the spatial index of patrols', async () => {
    // Enough other patrols far away that a scan would be the planner's worse choice.
    const far = Array.from({ length: 300 }, (_, i) => feature(track(10_000 + i * 100, 10_000 + i * 100 + 80), { inspector: '丁', patrolled_on: '2026-08-01' }));
    await load(db, 'patrols', far);
    await db.exec('ANALYZE patrols');
    const { sqlFile } = await import('../../server/db/sql.js');
    const { rows: ids } = await db.query<{ id: number }>('SELECT id FROM roads');
    const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sqlFile('analysis/patrol_coverage')}`,
      ['2026-10-01', '2026-11-01', 30, 0.8, ids.map((r) => r.id)]);
    const plan = JSON.stringify(rows[0]['QUERY PLAN']);
    expect(plan).toContain('patrols_geom_idx');
    expect(plan).not.toMatch(/"Seq Scan"[^}]*"Relation Name":"patrols"/);
  });
});
