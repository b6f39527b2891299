/**
 * The analyses on a township whose answers are known by construction
 * (test/fixtures/constructed-township.ts), on the engine under test.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { testDb, resetData } from '../helpers/db.js';
import { load } from '../helpers/load.js';
import * as T from '../fixtures/constructed-township.js';
import { setback } from '../../server/analysis/setback.js';
import { corridor } from '../../server/analysis/corridor.js';
import { facilities, greenCorridor } from '../../server/analysis/coverage.js';
import { afforestation } from '../../server/analysis/afforestation.js';
import { monthOf, type RoadRef } from '../../server/analysis/params.js';

let db: Db;
let roads: RoadRef[];
const only = (...codes: string[]) => roads.filter((r) => codes.includes(r.code));
const STATUSES = ['identified', 'marked', 'notice_issued'];

beforeAll(async () => {
  db = await testDb();
  await resetData(db);
  await load(db, 'roads', T.roads);
  await load(db, 'villages', T.villages);
  await load(db, 'demolition_sites', T.sites);
  await load(db, 'garbage_points', T.garbagePoints);
  await load(db, 'sanitation_facilities', T.facilities);
  await load(db, 'afforestation_plots', T.plots);
  roads = (await db.query<RoadRef>('SELECT id, code, name, class, width_m FROM roads ORDER BY id')).rows;
});

describe('road units and stakes', () => {
  it('a road of exactly 3 km has three 1 km units and no 0 m tail; a curve is measured along the line', async () => {
    const { rows } = await db.query<{ code: string; k: number; start_m: number; end_m: number; length_m: number; village: string }>(
      'SELECT r.code, u.k, u.start_m, u.end_m, u.length_m, u.village FROM road_units u JOIN roads r ON r.id = u.road_id ORDER BY r.code, u.k');
    const a = rows.filter((r) => r.code === 'YA01');
    expect(a.map((u) => u.k)).toEqual([0, 1, 2]);
    expect(a[2].end_m).toBeCloseTo(3000, 1);
    expect(a.map((u) => u.village)).toEqual(['东村', '东村', '西村']); // K1: 600 m in 东村, 400 m in 西村
    const b = rows.filter((r) => r.code === 'XB01');
    expect(b).toHaveLength(1);
    expect(b[0].length_m).toBeCloseTo(T.B_LENGTH, 0);
  });

  it('follows edits: a longer road gets more units, a moved village reassigns them', async () => {
    const ya = roads.find((r) => r.code === 'YA01')!;
    await db.query("UPDATE roads SET geom = ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) WHERE id = $2",
      [JSON.stringify({ type: 'LineString', coordinates: Array.from({ length: 36 }, (_, i) => T.onA(i * 100)) }), ya.id]);
    expect((await db.query('SELECT k FROM road_units WHERE road_id = $1', [ya.id])).rows).toHaveLength(4);
    await db.query("UPDATE villages SET name = '东村改' WHERE name = '东村'");
    expect((await db.query<{ village: string }>('SELECT village FROM road_units WHERE road_id = $1 AND k = 0', [ya.id])).rows[0].village).toBe('东村改');
    // back as it was
    await db.query("UPDATE villages SET name = '东村' WHERE name = '东村改'");
    await db.query("UPDATE roads SET geom = ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) WHERE id = $2",
      [JSON.stringify(T.roads[0].geometry), ya.id]);
    expect((await db.query('SELECT k FROM road_units WHERE road_id = $1', [ya.id])).rows).toHaveLength(3);
  });

  it('stake, offset and side of a point', async () => {
    const ya = roads.find((r) => r.code === 'YA01')!;
    const q = (p: T.LonLat) => db.query<{ stake: string; stake_m: number; offset_m: number; side: string }>(
      "SELECT * FROM (SELECT stake_label(measure_at(rl.geom_m, ST_Transform(ST_SetSRID(ST_MakePoint($2, $3), 4326), rl.srid))) AS stake, measure_at(rl.geom_m, ST_Transform(ST_SetSRID(ST_MakePoint($2, $3), 4326), rl.srid)) AS stake_m FROM road_lines rl WHERE road_id = $1) s", [ya.id, p[0], p[1]]);
    const east = (await q(T.onA(1234.5, 7))).rows[0];
    expect(east.stake).toBe('K1+235');
    expect(east.stake_m).toBeCloseTo(1234.5, 1);
  });
});

describe('setback compliance', () => {
  it('centre line, 10 m for every class: the structures inside, per unit, road and village', async () => {
    const { report } = await setback(db, { roads, roadCodes: 'all', reference: 'centerline', village: null, statuses: STATUSES });
    // ordered by road code, then stake
    expect(report.violations.map((v) => [v.site_id, v.road_code, v.distance_m, v.stake, v.village])).toEqual([
      [8, 'XB01', 6, 'K0+393', '东村'],
      [1, 'YA01', 5, 'K0+500', '东村'],
      [4, 'YA01', 8, 'K1+300', '东村'],
      [2, 'YA01', 9.9, 'K1+500', '东村'],
    ]);
    expect(report.total).toEqual({ length_km: 6.785, units: 7, violating_units: 3, compliance_pct: 57.14, violations: 4 });
    expect(report.roads.find((r) => r.code === 'YA01')).toMatchObject({ units: 3, violating_units: 2, compliance_pct: 33.33, violations: 3 });
    expect(report.villages).toEqual([
      { name: '东村', units: 5, violating_units: 3, compliance_pct: 40 },
      { name: '西村', units: 2, violating_units: 0, compliance_pct: 100 },
    ]);
    expect(report.parameters).toMatchObject({ distance_m: null, reference: 'centerline', statuses: STATUSES });
    expect(report.parameters.distance_m_by_class).toMatchObject({ township: 10 });
  });

  it('edge reference: distances to the edge line; a road without width falls back and is listed', async () => {
    const { report } = await setback(db, { roads, roadCodes: 'all', reference: 'edge', village: null, statuses: STATUSES });
    const d = Object.fromEntries(report.violations.map((v) => [v.site_id, v.distance_m]));
    expect(d).toEqual({ 1: 1, 2: 5.9, 3: 6.1, 4: 4, 8: 6, 9: 8 }); // s9: 12 m from the centre line, 8 m from the edge
    expect(report.roads_without_width).toEqual(['XB01']);
    expect(report.roads.find((r) => r.code === 'YA01')).toMatchObject({ violating_units: 3, violations: 5 });
  });

  it('a structure near two roads counts once, against the nearest', async () => {
    const { report } = await setback(db, { roads, roadCodes: 'all', distance_m: 20, reference: 'centerline', village: null, statuses: STATUSES });
    const s9 = report.violations.filter((v) => v.site_id === 9);
    expect(s9).toEqual([expect.objectContaining({ road_code: 'YA01', distance_m: 12, stake: 'K1+200' })]);
    expect(report.parameters.distance_m).toBe(20);
  });

  it('per-class rules from settings apply, and demolished or exempt structures leave at once', async () => {
    await db.query(`UPDATE settings SET value = '{"national": 20, "provincial": 15, "county": 5, "township": 10, "village": 5}' WHERE key = 'setback_m_by_class'`);
    let { report } = await setback(db, { roads: only('XB01'), roadCodes: ['XB01'], reference: 'centerline', village: null, statuses: STATUSES });
    expect(report.violations).toEqual([]); // s8 is 6 m from a county road, whose setback is now 5 m
    await db.query(`UPDATE settings SET value = '{"national": 10, "provincial": 10, "county": 10, "township": 10, "village": 10}' WHERE key = 'setback_m_by_class'`);
    ({ report } = await setback(db, { roads: only('XB01'), roadCodes: ['XB01'], reference: 'centerline', village: null, statuses: STATUSES }));
    expect(report.violations.map((v) => v.site_id)).toEqual([8]);
    await db.query("UPDATE demolition_sites SET status = 'demolished', demolished_on = identified_on WHERE id = 8");
    ({ report } = await setback(db, { roads: only('XB01'), roadCodes: ['XB01'], reference: 'centerline', village: null, statuses: STATUSES }));
    expect(report.violations).toEqual([]);
    await db.query("UPDATE demolition_sites SET status = 'identified', demolished_on = NULL WHERE id = 8");
  });

  it('one village only', async () => {
    const { report } = await setback(db, { roads, roadCodes: 'all', reference: 'centerline', village: '西村', statuses: STATUSES });
    expect(report.total).toMatchObject({ units: 2, violating_units: 0, compliance_pct: 100, violations: 0 });
  });
});

describe('corridor cleanliness and rewards (October 2026, Asia/Shanghai)', () => {
  it('counts points open in the month within the corridor, grades units and fills the ledger', async () => {
    const r = await corridor(db, { roads, roadCodes: 'all', month: monthOf('2026-10')!, corridor_m: 30, now: new Date('2026-11-20T00:00:00Z') });
    const a = r.units.filter((u) => u.road_code === 'YA01');
    expect(a.map((u) => [u.stake, u.open_points, u.grade])).toEqual([
      ['K0+000', 1, 'qualified'],
      ['K1+000', 1, 'unqualified'],
      ['K2+000', 1, 'qualified'],
    ]);
    expect(a[0].max_open_days).toBe(1);
    expect(a[1].open_point_days).toBe(31); // open the whole month
    expect(a[2].open_point_days).toBeCloseTo(0.5 / 24, 2);
    expect(r.units.filter((u) => u.road_code !== 'YA01').every((u) => u.grade === 'excellent')).toBe(true);
    expect(r.ledger).toEqual([
      { village: '东村', units: 5, excellent_km: 2.785, qualified_km: 1, unqualified_km: 1, reward_yuan: 278.54, penalty_yuan: 0, total_yuan: 278.54 },
      { village: '西村', units: 2, excellent_km: 1, qualified_km: 1, unqualified_km: 0, reward_yuan: 100, penalty_yuan: 0, total_yuan: 100 },
    ]);
  });
});

describe('facility and green-corridor coverage', () => {
  it('share of road length within 200 m of a good bin or pool, and greedy new sites', async () => {
    const r = await facilities(db, { roads: only('YA01'), roadCodes: ['YA01'], distance_m: 200, suggest: 2 });
    // bin at K0+500, 5 m off: 2·√(200²−5²) = 399.87 m; pool at K2+900: 200 m back + 100 m to the end
    expect(r.roads[0].covered_km).toBeCloseTo(0.6999, 3);
    expect(r.total.covered_pct).toBeCloseTo(23.33, 1);
    expect(r.uncovered.features).toHaveLength(1);
    expect(r.suggested_sites).toHaveLength(2);
    for (const s of r.suggested_sites) expect(s.covers_m).toBeGreaterThan(399);
  });

  it('green corridor per side: the plot east of YA01 covers the right side from about K0+951 to K2+049', async () => {
    const r = await greenCorridor(db, { roads: only('YA01'), roadCodes: ['YA01'], distance_m: 50 });
    expect(r.roads[0].left.covered_km).toBe(0);
    expect(r.roads[0].right.covered_km).toBeCloseTo(1.098, 2);
  });

  it('afforestation progress and plots whose reported area differs from their survey by over 10 %', async () => {
    const r = await afforestation(db, { year: 2026, village: null, species: null });
    expect(r.total).toMatchObject({ plots: 2, planned_mu: 54, planted_mu: 45 });
    expect(r.area_mismatches.map((m) => m.plot_code)).toEqual(['T-2']);
    expect(r.area_mismatches[0].difference_pct).toBeCloseTo(20, 0);
  });
});
