/**
 * The remediation workflow on findings, garbage points and demolition sites:
 * status transitions with their history, turning a finding into the feature it calls for, and
 * hotspots of repeated findings. SQL in server/sql/workflow and server/sql/findings.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { findCollection } from '../collections/registry.js';
import { FeatureRepository } from '../collections/repository.js';
import { prepareFeature } from '../collections/features.js';
import { shanghaiToday } from '../collections/properties.js';
import { notFound, invalidParameter } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';
import type { TileCache } from '../tiles/cache.js';
import { extentOf } from '../tiles/extent.js';
import type { Limits } from '../limits.js';
import { parseCount, parseMetres } from '../analysis/params.js';
import { toCsv } from '../analysis/csv.js';
import { etagFor, ifMatchVersions, preconditionFailed } from './preconditions.js';
import { parseFeatureId } from './params.js';
import { baseUrl, collectionOr404 } from './features.js';
import { hasLifecycle, nextStatuses } from '../workflow/lifecycle.js';
import { assertPhotoExists, assertTransition, lockedStatus, recordStatusEvent, statusConflict, statusEvents } from '../workflow/status.js';
import { conversionOf } from '../workflow/convert.js';
import { contentDisposition } from './download.js';

const ItemParams = Type.Object({ collectionId: Type.String({ maxLength: 100 }), featureId: Type.String({ maxLength: 100 }) });
const TransitionBody = Type.Object({
  to: Type.String({ maxLength: 64, description: 'the new status' }),
  photo_id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
}, { additionalProperties: false });
const ConvertBody = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 64, description: 'demolition site kind (default other)' })),
  category: Type.Optional(Type.String({ maxLength: 64, description: 'garbage point category (default from the finding category)' })),
  volume_t: Type.Optional(Type.Number()),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
const HotspotQuery = Type.Object({
  days: Type.Optional(Type.String({ description: 'findings of the last N days (default 90)' })),
  distance_m: Type.Optional(Type.String({ description: 'DBSCAN radius in metres (default 20)' })),
  min_count: Type.Optional(Type.String({ description: 'findings a hotspot needs at least (default 3)' })),
  category: Type.Optional(Type.String({ maxLength: 500, description: 'finding categories, comma-separated (default all)' })),
  f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('csv')])),
}, { additionalProperties: false });

export async function workflowRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache; limits: Limits }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, tileCache, limits } = opts;

  app.get('/api/collections/:collectionId/items/:featureId/transitions', { schema: { tags: ['workflow'], params: ItemParams } }, async (req) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    if (!c.properties.some((p) => p.name === 'status')) throw notFound(`${c.id} has no status, so no status history`);
    const text = await new FeatureRepository(c).get(db, id);
    if (!text) throw notFound(`no feature ${id} in ${c.id}`);
    const status = JSON.parse(text).properties.status as string;
    return { collection: c.id, feature_id: id, status, next: hasLifecycle(c.id) ? nextStatuses(c.id, status) : [], events: await statusEvents(db, c.id, id) };
  });

  // A status change with its photo and note. PATCH/PUT of `status` follow the same lifecycle
  // (features.ts); this route adds the photo, the note and the side dates (cleared_at, demolished_on).
  app.post('/api/collections/:collectionId/items/:featureId/transitions', { schema: { tags: ['workflow'], params: ItemParams, body: TransitionBody } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    if (!hasLifecycle(c.id)) {
      throw statusConflict(c.id === 'findings'
        ? 'a finding changes status through its notice (整改通知) or by POST /api/findings/{id}/convert, not by a transition'
        : `${c.id} has no status lifecycle; transitions exist for garbage_points and demolition_sites`);
    }
    const { to, photo_id: photoId, note } = req.body;
    const versions = ifMatchVersions(req.headers['if-match'], id);
    const repo = new FeatureRepository(c);
    const result = await db.transaction(async (tx) => {
      const current = await lockedStatus(tx, c.table, id);
      if (!current) throw notFound(`no feature ${id} in ${c.id}`);
      if (versions && !versions.includes(current.version)) throw preconditionFailed(c.id, id, req.headers['if-match'], etagFor(id, current.version));
      assertTransition(c.id, id, current.status, to);
      await assertPhotoExists(tx, photoId);
      const before = JSON.parse((await repo.get(tx, id))!);
      const properties: Record<string, unknown> = { status: to };
      if (c.id === 'garbage_points' && to === 'cleared' && !before.properties.cleared_at) properties.cleared_at = new Date().toISOString();
      if (c.id === 'demolition_sites' && to === 'demolished' && !before.properties.demolished_on) properties.demolished_on = shanghaiToday();
      await repo.patch(tx, id, { properties });
      const event = await recordStatusEvent(tx, { collection: c.id, featureId: id, from: current.status, to, by: req.user?.username ?? null, photoId, note });
      const row = (await repo.getVersioned(tx, id))!;
      const after = JSON.parse(row.text);
      await appendAudit(tx, actorOf(req), { action: 'update', collection: c.id, featureId: id, before, after, details: { transition: { from: current.status, to, photo_id: photoId ?? null, note: note ?? null } } });
      return { event: { ...event, from_status: current.status, to_status: to, by_user: req.user?.username ?? null, photo_id: photoId ?? null, note: note ?? null }, feature: after, version: row.version };
    });
    tileCache.invalidate(c.id, extentOf([result.feature.geometry]));
    reply.header('ETag', etagFor(id, result.version));
    return { event: result.event, next: nextStatuses(c.id, to), feature: result.feature };
  });

  // One action: the finding becomes a demolition site or a garbage point; the finding is marked
  // converted and points at it; audit entries and status events for both, in one transaction.
  app.post('/api/findings/:featureId/convert', { schema: { tags: ['workflow'], params: Type.Object({ featureId: Type.String({ maxLength: 100 }) }), body: Type.Optional(ConvertBody) } }, async (req, reply) => {
    const findings = findCollection('findings')!;
    const id = parseFeatureId(findings, req.params.featureId);
    const body = req.body ?? {};
    const by = req.user?.username ?? null;
    const result = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ category: string; status: string; description: string | null; found_at: Date | string; photo_ids: (string | number)[]; converted_collection: string | null; converted_id: string | null; village: string | null; road_code: string | null; stake: string | null; geometry: string }>(sqlFile('findings/for_convert'), [id]);
      const f = rows[0];
      if (!f) throw notFound(`no finding ${id}`);
      if (f.status === 'converted') throw statusConflict(`finding ${id} was already converted into ${f.converted_collection} ${f.converted_id}; nothing was changed`);
      if (f.status === 'verified') throw statusConflict(`finding ${id} is verified (fixed and checked); there is nothing left to convert`);
      const plan = conversionOf({ ...f, id, found_at: f.found_at instanceof Date ? f.found_at.toISOString() : new Date(f.found_at).toISOString(), geometry: JSON.parse(f.geometry) }, body);
      if ('refused' in plan) throw statusConflict(plan.refused);
      const target = findCollection(plan.collection)!;
      const repo = new FeatureRepository(target);
      const { feature } = await prepareFeature(tx, target, plan.feature, limits);
      const [newId] = await repo.insertMany(tx, [feature]);
      const created = await repo.getVersioned(tx, newId);
      const after = JSON.parse(created!.text);
      await appendAudit(tx, actorOf(req), { action: 'create', collection: target.id, featureId: newId, after, details: { converted_from: { collection: 'findings', id } } });
      const firstPhoto = f.photo_ids.length ? Number(f.photo_ids[0]) : null;
      await recordStatusEvent(tx, { collection: target.id, featureId: newId, from: null, to: after.properties.status, by, photoId: firstPhoto, note: `巡查问题 #${id} 转入 / from finding ${id}` });
      const findingRepo = new FeatureRepository(findings);
      const before = JSON.parse((await findingRepo.get(tx, id))!);
      await tx.query(sqlFile('findings/mark_converted'), [id, target.id, newId]);
      const findingAfter = JSON.parse((await findingRepo.get(tx, id))!);
      await appendAudit(tx, actorOf(req), { action: 'update', collection: 'findings', featureId: id, before, after: findingAfter, details: { converted_to: { collection: target.id, id: newId } } });
      await recordStatusEvent(tx, { collection: 'findings', featureId: id, from: f.status, to: 'converted', by, note: body.note ?? `${target.title.zh} #${newId}` });
      return { target, newId, after, version: created!.version, extent: extentOf([after.geometry]) };
    });
    tileCache.invalidate(result.target.id, result.extent);
    tileCache.invalidate('findings', result.extent);
    const base = baseUrl(req);
    const href = `${base}/api/collections/${result.target.id}/items/${result.newId}`;
    reply.code(201).type('application/geo+json').header('Location', href).header('ETag', etagFor(result.newId, result.version));
    return { ...result.after, collection: result.target.id, links: [{ href, rel: 'self', type: 'application/geo+json' }] };
  });

  app.get('/api/analysis/hotspots', { schema: { tags: ['analysis'], querystring: HotspotQuery } }, async (req, reply) => {
    const q = req.query;
    const days = parseCount('days', q.days, 90, 3650);
    if (days < 1) throw invalidParameter('days', 'give at least 1 day');
    const distance = parseMetres('distance_m', q.distance_m, 20, 1000)!;
    const minCount = parseCount('min_count', q.min_count, 3, 1000);
    if (minCount < 2) throw invalidParameter('min_count', 'a hotspot needs at least 2 findings');
    const allowed = (findCollection('findings')!.properties.find((p) => p.name === 'category') as { values: readonly string[] }).values;
    const categories = q.category ? q.category.split(',').map((s) => s.trim()).filter(Boolean) : null;
    const bad = categories?.filter((x) => !allowed.includes(x)) ?? [];
    if (bad.length) throw invalidParameter('category', `${bad.join(', ')} is not a finding category; use ${allowed.join(', ')}`);
    const to = new Date();
    const from = new Date(to.getTime() - days * 86_400_000);
    const { rows } = await db.query<Record<string, unknown>>(sqlFile('findings/hotspots'), [from.toISOString(), to.toISOString(), distance, minCount, categories]);
    const hotspots = rows.map((r) => ({
      category: r.category as string,
      count: Number(r.n),
      finding_ids: (r.finding_ids as (string | number)[]).map(Number),
      lon: Number(r.lon), lat: Number(r.lat),
      radius_m: Number(r.radius_m),
      first_found_at: new Date(r.first_found_at as string).toISOString(),
      last_found_at: new Date(r.last_found_at as string).toISOString(),
      village: r.village as string | null, road_code: r.road_code as string | null, stake: r.stake as string | null,
    }));
    const parameters = { days, from: from.toISOString(), to: to.toISOString(), distance_m: distance, min_count: minCount, categories: categories ?? allowed, method: 'ST_ClusterDBSCAN per category in the CGCS2000 Gauss-Krüger zone' };
    if (q.f === 'geojson') {
      reply.type('application/geo+json');
      return {
        type: 'FeatureCollection', parameters,
        features: hotspots.map((h, i) => ({ type: 'Feature', id: i + 1, geometry: { type: 'Point', coordinates: [h.lon, h.lat] }, properties: { ...h, finding_ids: h.finding_ids.join(',') } })),
      };
    }
    if (q.f === 'csv') {
      reply.type('text/csv; charset=utf-8').header('Content-Disposition', contentDisposition('hotspots.csv'));
      return toCsv(hotspots.map((h) => ({ ...h, finding_ids: h.finding_ids.join(' ') })));
    }
    return { parameters, hotspots };
  });
}

