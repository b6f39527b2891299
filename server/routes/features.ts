/**
 * OGC API – Features, Part 1 (Core, GeoJSON) and Part 4 (create, replace, update, delete) under /api.
 * Routes are thin: parameters are parsed in params.ts, checks live in collections/, SQL in sql/items/.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db, Queryable } from '../db/index.js';
import { COLLECTIONS, findCollection, type CollectionDef } from '../collections/registry.js';
import { FeatureRepository } from '../collections/repository.js';
import { prepareFeature, preparePatch } from '../collections/features.js';
import { notFound } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';
import type { TileCache } from '../tiles/cache.js';
import { extentOf } from '../tiles/extent.js';
import type { Limits } from '../limits.js';
import { hasLifecycle, refusal } from '../workflow/lifecycle.js';
import { assertTransition, recordStatusEvent } from '../workflow/status.js';
import { etagFor, ifMatchVersions, preconditionFailed } from './preconditions.js';
import { exportFeatures } from '../formats/write.js';
import { WGS84 } from '../formats/crs.js';
import { parseBbox, parseFeatureFilters, parseFeatureId, parseLimit, parseOffset, filterableProperties } from './params.js';
import { contentDisposition } from './download.js';

const GEOJSON = 'application/geo+json';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features',
];

/** Every property name any collection can be filtered by (the routes' schemas list them all). */
export const FILTER_NAMES = [...new Set(COLLECTIONS.flatMap(filterableProperties))];

/** Query-string members for the map's filters, shared by items and tiles. */
export const FilterQuery = {
  datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval a/b, open ends as ..' })),
  ...Object.fromEntries(FILTER_NAMES.map((n) => [n, Type.Optional(Type.String({ description: `comma-separated values of ${n}` }))])),
};

const CollectionParams = Type.Object({ collectionId: Type.String({ maxLength: 100 }) });
const ItemParams = Type.Object({ collectionId: Type.String({ maxLength: 100 }), featureId: Type.String({ maxLength: 100 }) });
const FormatQuery = Type.Object({ f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson')])) }, { additionalProperties: false });
const ItemsQuery = Type.Object(
  {
    bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (WGS84)' })),
    'bbox-crs': Type.Optional(Type.Literal(CRS84)),
    crs: Type.Optional(Type.Literal(CRS84)),
    limit: Type.Optional(Type.String({ description: `1 to 10000, default 100` })),
    offset: Type.Optional(Type.String()),
    f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('csv'), Type.Literal('kml')])),
    ...FilterQuery,
  },
  { additionalProperties: false },
);

export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export function collectionOr404(id: string): CollectionDef {
  const c = findCollection(id);
  if (!c) throw notFound(`no collection ${JSON.stringify(id.slice(0, 60))}; the collections are ${COLLECTIONS.map((x) => x.id).join(', ')}`);
  return c;
}

/** A stored feature's text with its links added (and warnings, when the write changed the input). */
function featureBody(base: string, c: CollectionDef, featureText: string, warnings?: string[]): string {
  const f = JSON.parse(featureText);
  f.links = [
    { href: `${base}/api/collections/${c.id}/items/${f.id}`, rel: 'self', type: GEOJSON },
    { href: `${base}/api/collections/${c.id}`, rel: 'collection', type: 'application/json' },
  ];
  if (warnings?.length) f.warnings = warnings;
  return JSON.stringify(f);
}

async function collectionInfo(db: Db, base: string, c: CollectionDef) {
  const extent = await new FeatureRepository(c).extent(db);
  return {
    id: c.id,
    title: c.title.zh,
    description: `${c.description.zh} / ${c.description.en}`,
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    extent: {
      spatial: { bbox: [extent.bbox ?? [-180, -90, 180, 90]], crs: CRS84 },
      temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' },
    },
    // Not OGC members; handy for the client and scripts.
    title_en: c.title.en,
    geometry_types: c.geometryTypes,
    number_of_features: extent.count,
    temporal_property: c.temporal,
    filterable_properties: filterableProperties(c),
    links: [
      { href: `${base}/api/collections/${c.id}`, rel: 'self', type: 'application/json', title: c.title.zh },
      { href: `${base}/api/collections/${c.id}/items`, rel: 'items', type: GEOJSON, title: c.title.zh },
      { href: `${base}/api/tiles/${c.id}.json`, rel: 'describedby', type: 'application/json', title: 'TileJSON' },
    ],
  };
}

export async function featureRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache; limits: Limits }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, tileCache, limits } = opts;

  app.get('/api', { schema: { querystring: FormatQuery, tags: ['ogc'] } }, async (req) => {
    const base = baseUrl(req);
    return {
      title: '整治一张图 Remediation Map',
      description: '乡镇环境整治：道路、村庄、垃圾点、环卫设施、造林小班、拆除点位 / Township remediation layers as OGC API – Features',
      links: [
        { href: `${base}/api`, rel: 'self', type: 'application/json', title: 'This document' },
        { href: `${base}/api/openapi.json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI definition' },
        { href: `${base}/api/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
        { href: `${base}/api/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
      ],
    };
  });

  app.get('/api/conformance', { schema: { querystring: FormatQuery, tags: ['ogc'] } }, async () => ({ conformsTo: CONFORMANCE }));

  app.get('/api/collections', { schema: { querystring: FormatQuery, tags: ['ogc'] } }, async (req) => {
    const base = baseUrl(req);
    const collections = [];
    for (const c of COLLECTIONS) collections.push(await collectionInfo(db, base, c));
    return { links: [{ href: `${base}/api/collections`, rel: 'self', type: 'application/json' }], collections };
  });

  app.get('/api/collections/:collectionId', { schema: { params: CollectionParams, querystring: FormatQuery, tags: ['ogc'] } }, async (req) => {
    const c = collectionOr404(req.params.collectionId);
    return collectionInfo(db, baseUrl(req), c);
  });

  app.get('/api/collections/:collectionId/items', { schema: { params: CollectionParams, querystring: ItemsQuery, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const q = req.query as Record<string, string | undefined>;
    const query = {
      bbox: parseBbox(q.bbox),
      ...parseFeatureFilters(c, q, FILTER_NAMES),
      limit: parseLimit(q.limit),
      offset: parseOffset(q.offset),
    };
    const { features, numberMatched } = await new FeatureRepository(c).list(db, query);
    // f=csv / f=kml (or Accept: text/csv / the KML type) for quick use: the same page as a table or KML.
    const accept = String(req.headers.accept ?? '');
    const table = q.f === 'csv' || (!q.f && /^text\/csv/.test(accept)) ? 'csv' : q.f === 'kml' || (!q.f && /^application\/vnd\.google-earth\.kml\+xml/.test(accept)) ? 'kml' : undefined;
    if (table) {
      const file = await exportFeatures(c, features.map((t) => JSON.parse(t)), table, WGS84, 'utf-8');
      reply.type(file.contentType).header('Content-Disposition', contentDisposition(`${c.id}.${file.extension}`));
      return reply.send(file.body);
    }
    const base = baseUrl(req);
    const self = new URL(`${base}${req.url}`);
    const page = (offset: number) => {
      const u = new URL(self);
      u.searchParams.set('offset', String(offset));
      u.searchParams.set('limit', String(query.limit));
      return u.toString();
    };
    const links: object[] = [
      { href: self.toString(), rel: 'self', type: GEOJSON },
      { href: `${base}/api/collections/${c.id}`, rel: 'collection', type: 'application/json' },
    ];
    if (query.offset + features.length < numberMatched) links.push({ href: page(query.offset + query.limit), rel: 'next', type: GEOJSON });
    if (query.offset > 0) links.push({ href: page(Math.max(0, query.offset - query.limit)), rel: 'prev', type: GEOJSON });
    const head = JSON.stringify({
      type: 'FeatureCollection',
      numberMatched,
      numberReturned: features.length,
      timeStamp: new Date().toISOString(),
      links,
    }).slice(0, -1);
    // Features arrive as JSON text from SQL and are joined, not parsed and re-serialised.
    reply.type(GEOJSON);
    return `${head},"features":[${features.join(',')}]}`;
  });

  app.get('/api/collections/:collectionId/items/:featureId', { schema: { params: ItemParams, querystring: FormatQuery, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    const row = await new FeatureRepository(c).getVersioned(db, id);
    if (!row) throw notFound(`no feature ${id} in ${c.id}`);
    const etag = etagFor(id, row.version);
    reply.header('ETag', etag);
    // Revalidation: an unchanged feature is not sent again.
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) return reply.code(304).send();
    reply.type(GEOJSON);
    return featureBody(baseUrl(req), c, row.text);
  });

  /** After a write that wrote nothing: why (404 when the feature is gone, else 412). Always throws. */
  async function refusedWrite(c: CollectionDef, id: number, ifMatch: string | string[] | undefined, missing: string): Promise<never> {
    const row = await new FeatureRepository(c).getVersioned(db, id);
    if (!row) throw notFound(missing);
    throw preconditionFailed(c.id, id, ifMatch, etagFor(id, row.version));
  }

  /**
   * Replaces or updates one feature (`write`) and appends its audit entry, in one transaction;
   * returns the feature as stored now and where the change happened (old and new geometry), or
   * undefined when nothing was written (missing, or If-Match no longer matches).
   */
  async function changeOne(req: FastifyRequest, c: CollectionDef, id: number, action: 'replace' | 'update', write: (tx: Queryable) => Promise<boolean>) {
    const repo = new FeatureRepository(c);
    return db.transaction(async (tx) => {
      const before = await repo.get(tx, id);
      if (!before || !(await write(tx))) return undefined;
      const row = (await repo.getVersioned(tx, id))!;
      const [was, now] = [JSON.parse(before), JSON.parse(row.text)];
      // A status changed by PUT or PATCH follows the lifecycle like a transition (a refused one
      // rolls the write back with 409) and goes into the status history. Admins may set any
      // status, to correct a mistake; the history says it was a correction.
      const [from, to] = [was.properties.status, now.properties.status];
      if (hasLifecycle(c.id) && from !== to) {
        const method = action === 'replace' ? 'PUT' : 'PATCH';
        const outside = refusal(c.id, from, to) !== undefined;
        if (req.user?.role !== 'admin') assertTransition(c.id, id, from, to);
        await recordStatusEvent(tx, { collection: c.id, featureId: id, from, to, by: req.user?.username ?? null, note: outside ? `${method}: correction by admin, outside the lifecycle` : method });
      }
      await appendAudit(tx, actorOf(req), { action, collection: c.id, featureId: id, before: was, after: now });
      return { ...row, extent: extentOf([was.geometry, now.geometry]) };
    });
  }

  // Part 4: create, replace, update, delete. PUT, PATCH and DELETE honour If-Match (preconditions.ts);
  // without it they write unconditionally, as OGC API Part 4 clients such as QGIS expect. Each
  // write and its audit entry (the feature before and after) commit together or not at all.
  app.post('/api/collections/:collectionId/items', { schema: { params: CollectionParams, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const repo = new FeatureRepository(c);
    const { feature, warning } = await prepareFeature(db, c, req.body, limits);
    const { newId, row, extent } = await db.transaction(async (tx) => {
      const [newId] = await repo.insertMany(tx, [feature]);
      const row = (await repo.getVersioned(tx, newId))!;
      const after = JSON.parse(row.text);
      await appendAudit(tx, actorOf(req), { action: 'create', collection: c.id, featureId: newId, after });
      // The history of a point or site starts with the status it was created in.
      if (hasLifecycle(c.id)) await recordStatusEvent(tx, { collection: c.id, featureId: newId, from: null, to: after.properties.status, by: req.user?.username ?? null });
      return { newId, row, extent: extentOf([after.geometry]) };
    });
    tileCache.invalidate(c.id, extent);
    const base = baseUrl(req);
    reply.code(201).type(GEOJSON).header('Location', `${base}/api/collections/${c.id}/items/${newId}`).header('ETag', etagFor(newId, row.version));
    return featureBody(base, c, row.text, warning ? [warning] : undefined);
  });

  app.put('/api/collections/:collectionId/items/:featureId', { schema: { params: ItemParams, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    const versions = ifMatchVersions(req.headers['if-match'], id);
    const repo = new FeatureRepository(c);
    const { feature, warning } = await prepareFeature(db, c, req.body, limits);
    const row = await changeOne(req, c, id, 'replace', (tx) => repo.replace(tx, id, feature, versions));
    if (!row) return refusedWrite(c, id, req.headers['if-match'], `no feature ${id} in ${c.id}; create it with POST /api/collections/${c.id}/items`);
    tileCache.invalidate(c.id, row.extent);
    reply.type(GEOJSON).header('ETag', etagFor(id, row.version));
    return featureBody(baseUrl(req), c, row.text, warning ? [warning] : undefined);
  });

  app.patch('/api/collections/:collectionId/items/:featureId', { schema: { params: ItemParams, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    const versions = ifMatchVersions(req.headers['if-match'], id);
    const repo = new FeatureRepository(c);
    const { patch, warning } = await preparePatch(db, c, req.body, limits);
    const row = await changeOne(req, c, id, 'update', (tx) => repo.patch(tx, id, patch, versions));
    if (!row) return refusedWrite(c, id, req.headers['if-match'], `no feature ${id} in ${c.id}`);
    tileCache.invalidate(c.id, row.extent);
    reply.type(GEOJSON).header('ETag', etagFor(id, row.version));
    return featureBody(baseUrl(req), c, row.text, warning ? [warning] : undefined);
  });

  app.delete('/api/collections/:collectionId/items/:featureId', { schema: { params: ItemParams, tags: ['ogc'] } }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const id = parseFeatureId(c, req.params.featureId);
    const versions = ifMatchVersions(req.headers['if-match'], id);
    const repo = new FeatureRepository(c);
    const deleted = await db.transaction(async (tx) => {
      const before = await repo.get(tx, id);
      if (!before || !(await repo.delete(tx, id, versions))) return undefined;
      const feature = JSON.parse(before);
      await appendAudit(tx, actorOf(req), { action: 'delete', collection: c.id, featureId: id, before: feature });
      return { extent: extentOf([feature.geometry]) };
    });
    if (!deleted) return refusedWrite(c, id, req.headers['if-match'], `no feature ${id} in ${c.id}`);
    tileCache.invalidate(c.id, deleted.extent);
    return reply.code(204).send();
  });
}
