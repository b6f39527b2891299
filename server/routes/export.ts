/**
 * GET /api/export/{collection}?f=geojson|shp|gpkg|kml|csv|xlsx&crs=&encoding= plus the items
 * filters (bbox, datetime, enum properties): the whole filtered collection as one file
 * (formats/write.ts), named in Content-Disposition.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import type { CollectionDef } from '../collections/registry.js';
import { FeatureRepository, type ListQuery } from '../collections/repository.js';
import { badRequest } from '../errors.js';
import { collectionOr404, FilterQuery, FILTER_NAMES } from './features.js';
import { parseBbox, parseFeatureFilters, LIMIT_MAX } from './params.js';
import { exportCrs } from '../formats/crs.js';
import { parseEncoding } from '../formats/text.js';
import { exportFeatures, type ExportFeature, type ExportFormat } from '../formats/write.js';
import { contentDisposition } from './download.js';

export const EXPORT_FORMATS: ExportFormat[] = ['geojson', 'shp', 'gpkg', 'kml', 'csv', 'xlsx'];

/** Every feature matching the filters, page by page, in WGS84. */
export async function featuresForExport(db: Db, c: CollectionDef, q: Omit<ListQuery, 'limit' | 'offset'>): Promise<ExportFeature[]> {
  const repo = new FeatureRepository(c);
  const out: ExportFeature[] = [];
  for (let offset = 0; ; offset += LIMIT_MAX) {
    const { features } = await repo.list(db, { ...q, limit: LIMIT_MAX, offset });
    for (const text of features) out.push(JSON.parse(text));
    if (features.length < LIMIT_MAX) return out;
  }
}

export async function exportRoutes(fastify: FastifyInstance, opts: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/export/:collectionId', {
    schema: {
      tags: ['export'],
      params: Type.Object({ collectionId: Type.String({ maxLength: 100 }) }),
      querystring: Type.Object({
        f: Type.Optional(Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))),
        crs: Type.Optional(Type.String({ maxLength: 100, description: 'EPSG:4326 (default), EPSG:4490 or a CGCS2000 Gauss-Kruger zone EPSG:4491–4554' })),
        encoding: Type.Optional(Type.String({ maxLength: 20, description: 'Shapefile attributes: utf-8 (default) or gbk' })),
        bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (WGS84)' })),
        ...FilterQuery,
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const q = req.query as Record<string, string | undefined>;
    const format = (q.f ?? 'geojson') as ExportFormat;
    const crs = exportCrs(q.crs);
    const encoding = parseEncoding(q.encoding) ?? 'utf-8';
    if (q.encoding !== undefined && !parseEncoding(q.encoding)) throw badRequest(`encoding ${JSON.stringify(q.encoding)} is not supported; use utf-8 or gbk`);
    const features = await featuresForExport(opts.db, c, { bbox: parseBbox(q.bbox), ...parseFeatureFilters(c, q, FILTER_NAMES) });
    const file = await exportFeatures(c, features, format, crs, encoding);
    const day = new Date().toISOString().slice(0, 10);
    const crsPart = crs.epsg && crs.epsg !== 4326 && format !== 'kml' ? `_EPSG${crs.epsg}` : '';
    reply.type(file.contentType).header('Content-Disposition', contentDisposition(`${c.title.zh}_${c.id}_${day}${crsPart}.${file.extension}`));
    return reply.send(file.body);
  });
}
