/**
 * Greening records of an afforestation plot: planting events, which add to the plot's planted 亩
 * and set its status, and survival checks, whose outcome (the seeds' rule) sets replant_needed.
 * Each write, its change to the plot and its audit entry commit together.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db, Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { findCollection } from '../collections/registry.js';
import { FeatureRepository } from '../collections/repository.js';
import { conflict, invalidParameter, notFound, unprocessable } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';
import type { TileCache } from '../tiles/cache.js';
import { extentOf } from '../tiles/extent.js';
import { afterCheck, afterPlanting, checkPlanting, checkSurvival, type PlotStatus } from '../greening/records.js';
import { SURVIVAL_RULE, survivalOutcome, survivalPct } from '../greening/survival.js';

const plots = findCollection('afforestation_plots')!;
const Params = Type.Object({ id: Type.String({ maxLength: 40 }) });

interface PlotRow { id: number; planned_mu: number; planted_mu: number; status: PlotStatus }
interface CheckRow { id: number; plot_id: number; checked_on: string; sample_planted: number; sample_alive: number; note: string | null; created_by: string | null; created_at: string }

function plotId(raw: string): number {
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw invalidParameter('id', `must be the id of an afforestation plot (a whole number), got ${JSON.stringify(raw.slice(0, 40))}`);
  return n;
}

async function plotOr404(q: Queryable, id: number, lock: boolean): Promise<PlotRow> {
  const { rows } = lock
    ? await q.query<PlotRow>(sqlFile('greening/plot_for_update'), [id])
    : await q.query<PlotRow>('SELECT id, planned_mu, planted_mu, status FROM afforestation_plots WHERE id = $1', [id]);
  if (!rows.length) throw notFound(`no afforestation plot ${id}`);
  return rows[0];
}

export function withOutcome(c: CheckRow) {
  return { ...c, survival_pct: survivalPct(c.sample_alive, c.sample_planted), outcome: survivalOutcome(c.sample_alive, c.sample_planted) };
}

export async function greeningRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, tileCache } = opts;
  const repo = new FeatureRepository(plots);

  /** Applies a change to the plot and writes the audit entry (the plot before and after, and the record). */
  async function changePlot(req: FastifyRequest, tx: Queryable, plot: PlotRow, planted_mu: number, status: PlotStatus, details: Record<string, unknown>) {
    const before = JSON.parse((await repo.get(tx, plot.id))!);
    if (planted_mu !== plot.planted_mu || status !== plot.status) await tx.query(sqlFile('greening/plot_update'), [plot.id, planted_mu, status]);
    const after = JSON.parse((await repo.get(tx, plot.id))!);
    await appendAudit(tx, actorOf(req), { action: 'update', collection: plots.id, featureId: plot.id, before, after, details });
    return after as { geometry: GeoJSON.Geometry; properties: Record<string, unknown> };
  }

  app.get('/api/afforestation_plots/:id/plantings', { schema: { tags: ['greening'], params: Params } }, async (req) => {
    const id = plotId(req.params.id);
    await plotOr404(db, id, false);
    const { rows } = await db.query(sqlFile('greening/plantings'), [id]);
    return { plot_id: id, plantings: rows };
  });

  app.post('/api/afforestation_plots/:id/plantings', { schema: { tags: ['greening'], params: Params } }, async (req, reply) => {
    const id = plotId(req.params.id);
    const { value, errors } = checkPlanting(req.body);
    if (errors.length) throw unprocessable('invalid_planting', `the planting cannot be saved: ${errors.map((e) => e.reason).join('; ')}`, errors);
    const result = await db.transaction(async (tx) => {
      const plot = await plotOr404(tx, id, true);
      const next = afterPlanting(plot, value.planted_mu);
      const { rows } = await tx.query(sqlFile('greening/planting_insert'), [id, value.planted_on, value.species, value.trees, value.planted_mu, value.note, actorOf(req).username]);
      const planting = rows[0] as Record<string, unknown>;
      const after = await changePlot(req, tx, plot, next.planted_mu, next.status, { record: 'planting', planting });
      return { planting: { ...planting, replanted_mu: next.replanted_mu }, plot: after };
    });
    tileCache.invalidate(plots.id, extentOf([result.plot.geometry]));
    reply.code(201);
    return { planting: result.planting, plot: { id, ...result.plot.properties } };
  });

  app.get('/api/afforestation_plots/:id/survival-checks', { schema: { tags: ['greening'], params: Params } }, async (req) => {
    const id = plotId(req.params.id);
    await plotOr404(db, id, false);
    const { rows } = await db.query<CheckRow>(sqlFile('greening/checks'), [id]);
    const checks = rows.map(withOutcome);
    return { plot_id: id, rule: SURVIVAL_RULE, latest: checks[0] ?? null, survival_checks: checks };
  });

  app.post('/api/afforestation_plots/:id/survival-checks', { schema: { tags: ['greening'], params: Params } }, async (req, reply) => {
    const id = plotId(req.params.id);
    const { value, errors } = checkSurvival(req.body);
    if (errors.length) throw unprocessable('invalid_survival_check', `the survival check cannot be saved: ${errors.map((e) => e.reason).join('; ')}`, errors);
    const outcome = survivalOutcome(value.sample_alive, value.sample_planted);
    const result = await db.transaction(async (tx) => {
      const plot = await plotOr404(tx, id, true);
      if (!(plot.planted_mu > 0)) throw conflict(`afforestation plot ${id} has nothing planted yet (planted_mu 0); record its planting first (POST /api/afforestation_plots/${id}/plantings), then check its survival`);
      const { rows: later } = await tx.query('SELECT 1 FROM survival_checks WHERE plot_id = $1 AND checked_on > $2::date LIMIT 1', [id, value.checked_on]);
      const { rows } = await tx.query<CheckRow>(sqlFile('greening/check_insert'), [id, value.checked_on, value.sample_planted, value.sample_alive, value.note, actorOf(req).username]);
      const check = withOutcome(rows[0]);
      // Only the plot's latest check decides its status; an older one entered late is history.
      const status = later.length ? plot.status : afterCheck(plot, outcome);
      const after = await changePlot(req, tx, plot, plot.planted_mu, status, { record: 'survival_check', survival_check: check });
      return { check, plot: after, latest: !later.length };
    });
    tileCache.invalidate(plots.id, extentOf([result.plot.geometry]));
    reply.code(201);
    return { survival_check: result.check, rule: SURVIVAL_RULE, latest: result.latest, plot: { id, ...result.plot.properties } };
  });
}
