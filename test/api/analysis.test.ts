/**
 * The analysis routes over HTTP on the constructed township (test/fixtures/constructed-township.ts):
 * response names as the issue fixes them, parameters stated back, CSV and GeoJSON, a 400 naming
 * the parameter for every bad input, and no stale answer after an edit through the OGC API.
 * The numbers themselves are proven in test/db/analysis.test.ts; here they are checked only where
 * the route adds something (rounding, choosing, formats).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json } from '../helpers/app.js';
import { load } from '../helpers/load.js';
import * as town from '../fixtures/constructed-township.js';

let app: FastifyInstance;
let siteIds: number[];
let roadIds: number[];

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  roadIds = await load(t.db, 'roads', town.roads);
  await load(t.db, 'villages', town.villages);
  siteIds = await load(t.db, 'demolition_sites', town.sites);
  await load(t.db, 'garbage_points', town.garbagePoints);
  await load(t.db, 'sanitation_facilities', town.facilities);
  await load(t.db, 'afforestation_plots', town.plots);
});
afterAll(async () => {
  await app.close();
});

async function get(url: string) {
  const res = await app.inject(url);
  return { status: res.statusCode, type: String(res.headers['content-type']), body: res.body, json: () => res.json() };
}

/** A 400 in the one error shape that names the parameter. */
async function expectBadParameter(url: string, parameter: string, says: RegExp) {
  const res = await get(url);
  expect(res.status, url).toBe(400);
  const body = res.json();
  expect(body.error, url).toBe('invalid_parameter');
  expect(body.details[0].parameter, url).toBe(parameter);
  expect(body.message, url).toMatch(says);
}

describe('setback over HTTP', () => {
  it('answers with exactly the names the issue fixes, and states its parameters', async () => {
    const res = await get('/api/analysis/setback?distance_m=10&reference=centerline&roads=YA01,XB01');
    expect(res.status).toBe(200);
    const r = res.json();
    expect(r.parameters).toMatchObject({ distance_m: 10, reference: 'centerline', roads: ['YA01', 'XB01'], village: null });
    expect(r.parameters.statuses).toEqual(['identified', 'marked', 'notice_issued']);
    expect(Object.keys(r.total)).toEqual(expect.arrayContaining(['length_km', 'units', 'violating_units', 'compliance_pct', 'violations']));
    for (const road of r.roads) expect(Object.keys(road)).toEqual(expect.arrayContaining(['code', 'name', 'length_km', 'units', 'violating_units', 'compliance_pct', 'violations']));
    for (const v of r.villages) expect(Object.keys(v)).toEqual(expect.arrayContaining(['name', 'units', 'violating_units', 'compliance_pct']));
    // s1 (5 m), s2 (9.9 m), s4 (polygon, 8 m) on YA01; s8 (6 m inside the curve) on XB01.
    const byId = Object.fromEntries(r.violations.map((v: { site_id: number }) => [v.site_id, v]));
    expect(Object.keys(byId).map(Number).sort((a, b) => a - b)).toEqual([siteIds[0], siteIds[1], siteIds[3], siteIds[7]]);
    expect(byId[siteIds[0]]).toMatchObject({ kind: 'pig_pen', status: 'identified', road_code: 'YA01', stake: 'K0+500', village: '东村' });
    expect(byId[siteIds[0]].distance_m).toBeCloseTo(5, 2);
    // rounded to 0.01 m
    for (const v of r.violations) expect(Math.round(v.distance_m * 100) / 100).toBe(v.distance_m);
    expect(byId[siteIds[7]].road_code).toBe('XB01');
  });

  it('a structure near several selected roads counts once, against the nearest', async () => {
    const r = (await get('/api/analysis/setback?distance_m=20&roads=YA01,YC01')).json();
    const s9 = r.violations.filter((v: { site_id: number }) => v.site_id === siteIds[8]);
    expect(s9).toHaveLength(1);
    expect(s9[0].road_code).toBe('YA01');
    expect(s9[0].distance_m).toBeCloseTo(12, 1);
  });

  it('the edge reference lists the roads that had no width', async () => {
    const r = (await get('/api/analysis/setback?distance_m=10&reference=edge')).json();
    expect(r.parameters.reference).toBe('edge');
    expect(JSON.stringify(r)).toContain('XB01');
    const fallback = Object.entries(r).find(([k]) => /without_width|no_width|fallback/.test(k));
    expect(fallback, 'a list of roads measured from the centre line').toBeTruthy();
    expect(JSON.stringify(fallback![1])).toContain('XB01');
  });

  it('CSV of the violations, with a dated file name', async () => {
    const res = await get('/api/analysis/setback?distance_m=10&roads=YA01&f=csv');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/csv/);
    const lines = res.body.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/site_id/);
    expect(lines[0]).toMatch(/stake/);
    expect(lines).toHaveLength(1 + 3);
    expect(res.body).toContain('K0+500');
  });

  it('GeoJSON with units by compliance and the violating structures', async () => {
    const res = await get('/api/analysis/setback?distance_m=10&roads=YA01&f=geojson');
    expect(res.type).toMatch(/geo\+json/);
    const fc = res.json();
    const layers = (name: string) => fc.features.filter((f: { properties: { layer: string } }) => f.properties.layer === name);
    const units = layers('unit');
    expect(units).toHaveLength(3);
    // s1 in K0, s4 and s2 in K1; K2 is clean (s3 is 10.1 m away)
    expect(units.map((u: { properties: { complies: boolean } }) => u.properties.complies)).toEqual([false, false, true]);
    expect(layers('violation')).toHaveLength(3);
    expect(layers('band').length).toBeGreaterThan(0);
  });

  it('a structure demolished through the API leaves the violations at once', async () => {
    const before = (await get('/api/analysis/setback?distance_m=10&roads=YA01')).json();
    expect(before.violations.map((v: { site_id: number }) => v.site_id)).toContain(siteIds[1]);
    const patch = await app.inject({ method: 'PATCH', url: `/api/collections/demolition_sites/items/${siteIds[1]}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { status: 'demolished' } }) });
    expect(patch.statusCode).toBe(200);
    const after = (await get('/api/analysis/setback?distance_m=10&roads=YA01')).json();
    expect(after.violations.map((v: { site_id: number }) => v.site_id)).not.toContain(siteIds[1]);
    expect(after.total.violations).toBe(before.total.violations - 1);
    await app.inject({ method: 'PATCH', url: `/api/collections/demolition_sites/items/${siteIds[1]}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { status: 'marked' } }) });
  });

  it('per-class distances come from the setting when distance_m is absent', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/settings/setback_m_by_class', ...json({ national: 20, provincial: 15, county: 10, township: 5, village: 5 }) });
    expect(put.statusCode, put.body).toBe(200);
    const r = (await get('/api/analysis/setback?roads=YA01')).json();
    // township roads now 5 m: only s1 at exactly 5 m or nearer would count; nothing is nearer than 5 m
    expect(r.violations.every((v: { distance_m: number }) => v.distance_m < 5)).toBe(true);
    expect(r.parameters.distance_m).not.toBe(10);
    await app.inject({ method: 'PUT', url: '/api/settings/setback_m_by_class', ...json({ national: 10, provincial: 10, county: 10, township: 10, village: 10 }) });
  });
});

describe('the other analyses over HTTP', () => {
  it('corridor for a month: units graded, a village ledger, parameters stated; CSV', async () => {
    const r = (await get('/api/analysis/corridor?month=2026-10&corridor_m=30&roads=YA01')).json();
    expect(r.parameters).toMatchObject({ month: '2026-10', corridor_m: 30 });
    expect(r.units.length).toBe(3);
    for (const u of r.units) expect(['excellent', 'qualified', 'unqualified']).toContain(u.grade);
    // K0 and K1 lie mostly in 东村, K2 in 西村; K1 had a point open since September (unqualified)
    expect(r.units.map((u: { grade: string }) => u.grade)).toEqual(['qualified', 'unqualified', 'qualified']);
    expect(r.ledger.map((l: { village: string }) => l.village).sort()).toEqual(['东村', '西村']);
    for (const l of r.ledger) expect(Object.keys(l)).toEqual(expect.arrayContaining(['village', 'excellent_km', 'unqualified_km', 'reward_yuan', 'penalty_yuan', 'total_yuan']));
    const csv = await get('/api/analysis/corridor?month=2026-10&roads=YA01&f=csv');
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.body.trim().split(/\r?\n/)).toHaveLength(1 + 3);
  });

  it('rewards sum the months', async () => {
    const r = (await get('/api/analysis/rewards?from=2026-09&to=2026-10&roads=YA01')).json();
    expect(r.parameters).toMatchObject({ from: '2026-09', to: '2026-10' });
    expect(Array.isArray(r.villages)).toBe(true);
  });

  it('facilities: coverage, uncovered stretches and suggested sites as GeoJSON', async () => {
    const r = (await get('/api/analysis/facilities?distance_m=200&roads=YA01&suggest=2')).json();
    expect(r.parameters).toMatchObject({ distance_m: 200, suggest: 2 });
    expect(r.roads[0].code).toBe('YA01');
    const fc = (await get('/api/analysis/facilities?distance_m=200&roads=YA01&suggest=2&f=geojson')).json();
    const kinds = new Set(fc.features.map((f: { properties: { layer: string } }) => f.properties.layer));
    expect([...kinds].sort()).toEqual(['suggested_site', 'uncovered']);
  });

  it('green corridor per side, and afforestation progress with CSV', async () => {
    const g = (await get('/api/analysis/green-corridor?distance_m=50&roads=YA01')).json();
    expect(g.parameters).toMatchObject({ distance_m: 50 });
    expect(g.roads[0]).toHaveProperty('left');
    expect(g.roads[0]).toHaveProperty('right');
    const a = await get('/api/analysis/afforestation?year=2026&f=csv');
    expect(a.status).toBe(200);
    expect(a.body).toContain('东村');
  });

  it('road units, a stake and a stake looked up by text', async () => {
    const units = (await get(`/api/roads/${roadIds[0]}/units`)).json();
    expect(units.features.map((f: { properties: { stake: string } }) => f.properties.stake)).toEqual(['K0+000', 'K1+000', 'K2+000']);
    const [lon, lat] = town.onA(1250, 7);
    const s = (await get(`/api/roads/${roadIds[0]}/stake?lon=${lon}&lat=${lat}`)).json();
    expect(s.stake).toBe('K1+250');
    expect(s.offset_m).toBeCloseTo(7, 1);
    const at = (await get(`/api/roads/locate?q=${encodeURIComponent('ya01 K2+000')}`)).json();
    const [elon, elat] = town.onA(2000);
    expect(at.road_code).toBe('YA01');
    expect(Math.abs(at.lon - elon) * 93_000).toBeLessThan(0.5);
    expect(Math.abs(at.lat - elat) * 111_000).toBeLessThan(0.5);
    expect((await get('/api/roads/locate?q=YA01%20K9%2B000')).status).toBe(404);
    expect((await get('/api/roads/locate?q=ZZ99%20K0%2B000')).status).toBe(404);
  });
});

describe('bad parameters: 400 naming the parameter and what it accepts', () => {
  it.each([
    ['/api/analysis/setback?distance_m=-5', 'distance_m', /greater than 0/],
    ['/api/analysis/setback?distance_m=ten', 'distance_m', /number of metres/],
    ['/api/analysis/setback?roads=S999', 'roads', /no road with code "S999".*known codes: .*YA01/],
    ['/api/analysis/setback?reference=kerb', 'reference', /centerline.*edge/],
    ['/api/analysis/setback?village=北村', 'village', /北村/],
    ['/api/analysis/setback?statuses=gone', 'statuses', /identified/],
    ['/api/analysis/corridor?month=2026-13', 'month', /YYYY-MM/],
    ['/api/analysis/corridor?month=October', 'month', /YYYY-MM/],
    ['/api/analysis/corridor?corridor_m=0', 'corridor_m', /greater than 0/],
    ['/api/analysis/rewards', 'from', /required/],
    ['/api/analysis/rewards?from=2026-10&to=2026-01', 'from', /2026-10 is after to=2026-01/],
    ['/api/analysis/facilities?suggest=500', 'suggest', /0 to 50/],
    ['/api/analysis/afforestation?year=20x6', 'year', /1950/],
    ['/api/roads/locate?q=YA01', 'q', /K3\+200/],
  ])('%s', async (url, parameter, says) => {
    await expectBadParameter(url, parameter, says);
  });

  it('an unknown query parameter or format is refused too', async () => {
    const res = await get('/api/analysis/setback?distance=10');
    expect(res.status).toBe(400);
    expect(res.json().message).toMatch(/distance/);
    expect((await get('/api/analysis/corridor?f=docx')).status).toBe(400);
  });

  it('a setting with a bad value is refused and the old value kept', async () => {
    const before = (await get('/api/settings')).json().settings.corridor_rewards;
    const res = await app.inject({ method: 'PUT', url: '/api/settings/corridor_rewards', ...json({ reward_per_km: -1, penalty_per_km: 0 }) });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/reward_per_km must be >= 0/);
    const extra = await app.inject({ method: 'PUT', url: '/api/settings/setback_m_by_class', ...json({ national: 20, expressway: 30 }) });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toMatch(/expressway is not a key of setback_m_by_class; the keys are national, provincial, county, township, village/);
    expect(extra.json().message).toMatch(/provincial is missing/);
    expect((await get('/api/settings')).json().settings.corridor_rewards).toEqual(before);
    expect((await app.inject({ method: 'PUT', url: '/api/settings/no_such_key', ...json({}) })).statusCode).toBe(404);
  });
});
