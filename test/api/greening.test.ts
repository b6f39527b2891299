/**
 * Greening records over HTTP: plantings add to a plot's planted 亩 and set its status, survival
 * checks set replant_needed by the seeds' rule, both with audit entries, both refused whole (4xx,
 * nothing written) on bad input; roles; and the survival picture of GET /api/analysis/afforestation.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json, feature, square, userWithToken } from '../helpers/app.js';
import { load } from '../helpers/load.js';
import type { Db } from '../../server/db/index.js';

let app: FastifyInstance;
let db: Db;
let plotId: number;
let otherId: number;

beforeAll(async () => {
  const t = await testApp();
  app = t.app;
  db = t.db;
  [plotId, otherId] = await load(db, 'afforestation_plots', [
    feature(square(117.2, 32.95, 0.002), { plot_code: 'T-001', village: '测试村', year: 2026, species: '女贞', planned_mu: 10 }),
    feature(square(117.21, 32.95, 0.002), { plot_code: 'T-002', village: '测试村', year: 2026, species: '石榴', planned_mu: 20, planted_mu: 20, status: 'planted' }),
  ]);
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, body: unknown, authorization?: string) =>
  app.inject({ method: 'POST', url, ...json(body), headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
const plot = async (id: number) => (await app.inject(`/api/collections/afforestation_plots/items/${id}`)).json().properties;
const counts = async () => {
  const { rows } = await db.query<{ p: number; c: number; a: number }>(
    'SELECT (SELECT count(*) FROM plantings)::int AS p, (SELECT count(*) FROM survival_checks)::int AS c, (SELECT count(*) FROM audit_log)::int AS a');
  return rows[0];
};

describe('plantings', () => {
  it('adds to planted_mu and moves the plot to in_progress, then planted', async () => {
    const r1 = await post(`/api/afforestation_plots/${plotId}/plantings`, { planted_on: '2026-03-12', species: '女贞', trees: 600, planted_mu: 4 });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json().planting).toMatchObject({ plot_id: plotId, planted_on: '2026-03-12', species: '女贞', trees: 600, planted_mu: 4, replanted_mu: 0, created_by: 'test-admin' });
    expect(r1.json().plot).toMatchObject({ id: plotId, planted_mu: 4, status: 'in_progress' });
    expect(await plot(plotId)).toMatchObject({ planted_mu: 4, status: 'in_progress' });
    const r2 = await post(`/api/afforestation_plots/${plotId}/plantings`, { planted_on: '2026-03-20', planted_mu: 6.5, note: '补齐' });
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json().planting.replanted_mu).toBeCloseTo(0.5, 6);
    expect(await plot(plotId)).toMatchObject({ planted_mu: 10, status: 'planted' });
    const list = (await app.inject(`/api/afforestation_plots/${plotId}/plantings`)).json();
    expect(list.plantings.map((p: { planted_on: string }) => p.planted_on)).toEqual(['2026-03-20', '2026-03-12']);
    const audit = (await app.inject(`/api/audit?collection=afforestation_plots&feature_id=${plotId}`)).json();
    expect(audit.entries[0]).toMatchObject({ action: 'update', username: 'test-admin', details: { record: 'planting' } });
    expect(audit.entries[0].before.properties.planted_mu).toBe(4);
    expect(audit.entries[0].after.properties.planted_mu).toBe(10);
  });

  it('refuses bad input with a 4xx naming the field, and writes nothing', async () => {
    const before = await counts();
    const cases: [unknown, number, string?][] = [
      [{ planted_mu: 0 }, 422, 'planted_mu'],
      [{ planted_mu: -1 }, 422, 'planted_mu'],
      [{ planted_mu: '3' }, 422, 'planted_mu'],
      [{}, 422, 'planted_mu'],
      [{ planted_mu: 1, planted_on: '2026-13-01' }, 422, 'planted_on'],
      [{ planted_mu: 1, planted_on: '2999-01-01' }, 422, 'planted_on'],
      [{ planted_mu: 1, trees: -3 }, 422, 'trees'],
      [{ planted_mu: 1, height: 2 }, 422, 'height'],
      [[1, 2], 422],
    ];
    for (const [body, status, property] of cases) {
      const res = await post(`/api/afforestation_plots/${plotId}/plantings`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error).toBe('invalid_planting');
      if (property) expect(res.json().details.map((d: { property: string }) => d.property)).toContain(property);
    }
    expect((await post('/api/afforestation_plots/999999/plantings', { planted_mu: 1 })).statusCode).toBe(404);
    expect((await post('/api/afforestation_plots/abc/plantings', { planted_mu: 1 })).statusCode).toBe(400);
    expect((await app.inject('/api/afforestation_plots/999999/plantings')).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
    expect(await plot(plotId)).toMatchObject({ planted_mu: 10, status: 'planted' });
  });
});

describe('survival checks', () => {
  it('sets replant_needed on a gap or replant outcome and planted again after a pass', async () => {
    const gap = await post(`/api/afforestation_plots/${otherId}/survival-checks`, { checked_on: '2026-05-10', sample_planted: 100, sample_alive: 84 });
    expect(gap.statusCode, gap.body).toBe(201);
    expect(gap.json().survival_check).toMatchObject({ sample_planted: 100, sample_alive: 84, survival_pct: 84, outcome: 'gap_replant' });
    expect(gap.json().rule).toEqual({ pass_min_pct: 85, replant_max_pct: 40 });
    expect(await plot(otherId)).toMatchObject({ status: 'replant_needed', planted_mu: 20 });
    const pass = await post(`/api/afforestation_plots/${otherId}/survival-checks`, { checked_on: '2026-09-10', sample_planted: 100, sample_alive: 85 });
    expect(pass.json().survival_check.outcome).toBe('pass');
    expect(await plot(otherId)).toMatchObject({ status: 'planted' });
    // An older check entered late is history: the plot keeps the status of its latest check.
    const old = await post(`/api/afforestation_plots/${otherId}/survival-checks`, { checked_on: '2026-04-01', sample_planted: 50, sample_alive: 20 });
    expect(old.json()).toMatchObject({ latest: false, survival_check: { outcome: 'replant' } });
    expect(await plot(otherId)).toMatchObject({ status: 'planted' });
    const list = (await app.inject(`/api/afforestation_plots/${otherId}/survival-checks`)).json();
    expect(list.latest).toMatchObject({ checked_on: '2026-09-10', outcome: 'pass', survival_pct: 85 });
    expect(list.survival_checks.map((c: { outcome: string }) => c.outcome)).toEqual(['pass', 'gap_replant', 'replant']);
    const replant = await post(`/api/afforestation_plots/${otherId}/survival-checks`, { checked_on: '2026-10-10', sample_planted: 100, sample_alive: 40 });
    expect(replant.json().survival_check.outcome).toBe('replant');
    expect(await plot(otherId)).toMatchObject({ status: 'replant_needed' });
  });

  it('refuses alive > planted, a zero sample and an unknown plot, and writes nothing', async () => {
    const before = await counts();
    for (const body of [{ sample_planted: 10, sample_alive: 11 }, { sample_planted: 0, sample_alive: 0 }, { sample_planted: 10 }, { sample_planted: 10, sample_alive: 5, checked_on: 'yesterday' }]) {
      const res = await post(`/api/afforestation_plots/${otherId}/survival-checks`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json()).toMatchObject({ error: 'invalid_survival_check' });
      expect(res.json().message).toMatch(/sample_|checked_on/);
    }
    expect((await post('/api/afforestation_plots/999999/survival-checks', { sample_planted: 10, sample_alive: 9 })).statusCode).toBe(404);
    // A plot with nothing planted has no survival to check.
    const [empty] = await load(db, 'afforestation_plots', [feature(square(117.22, 32.95, 0.002), { plot_code: 'T-003', year: 2026, planned_mu: 5 })]);
    const refused = await post(`/api/afforestation_plots/${empty}/survival-checks`, { sample_planted: 10, sample_alive: 9 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/nothing planted yet/);
    const after = await counts();
    expect([after.p, after.c, after.a]).toEqual([before.p, before.c, before.a]);
    await db.query('DELETE FROM afforestation_plots WHERE id = $1', [empty]);
  });

  it('lets greening editors and admins write, others not', async () => {
    const greening = await userWithToken(db, 'g-editor', 'greening');
    const planner = await userWithToken(db, 'g-planner', 'planner');
    const inspector = await userWithToken(db, 'g-inspector', 'inspector');
    const ok = await post(`/api/afforestation_plots/${plotId}/survival-checks`, { sample_planted: 20, sample_alive: 19 }, greening);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().survival_check.created_by).toBe('g-editor');
    for (const who of [planner, inspector]) {
      const res = await post(`/api/afforestation_plots/${plotId}/plantings`, { planted_mu: 1 }, who);
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/may not change afforestation_plots/);
    }
    expect((await app.inject({ url: `/api/afforestation_plots/${plotId}/plantings`, headers: { authorization: planner } })).statusCode).toBe(200);
  });
});

describe('the survival picture in the afforestation analysis', () => {
  it('counts plots and 亩 by the outcome of their latest check', async () => {
    const r = (await app.inject('/api/analysis/afforestation')).json();
    expect(r.parameters.survival_rule).toEqual({ pass_min_pct: 85, replant_max_pct: 40 });
    expect(r.survival.checked_plots).toBe(2);
    expect(r.survival.by_outcome).toEqual({
      pass: { plots: 1, planted_mu: 10 },
      gap_replant: { plots: 0, planted_mu: 0 },
      replant: { plots: 1, planted_mu: 20 },
    });
    expect(r.survival.latest_checks.find((c: { plot_code: string }) => c.plot_code === 'T-002')).toMatchObject({ checked_on: '2026-10-10', outcome: 'replant', survival_pct: 40 });
    const filtered = (await app.inject('/api/analysis/afforestation?species=石榴')).json();
    expect(filtered.survival.checked_plots).toBe(1);
  });
});
