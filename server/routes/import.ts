/**
 * Bulk import of a GeoJSON FeatureCollection into one collection. Atomic by default: if any
 * feature is invalid nothing is written and the 422 lists every bad feature; ?skipInvalid=true
 * writes the valid ones and reports the rest; ?dryRun=true checks and writes nothing.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { badRequest, HttpError, unprocessable } from '../errors.js';
import { prepareFeatures } from '../collections/features.js';
import { FeatureRepository } from '../collections/repository.js';
import { collectionOr404 } from './features.js';
import { ident } from '../db/sql.js';
import type { TileCache } from '../tiles/cache.js';
import { extentOf } from '../tiles/extent.js';
import type { Limits } from '../limits.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';

/** After this many new rows the planner's statistics are refreshed, so the next queries plan well. */
const ANALYZE_AFTER = 10_000;

const Bool = Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]));
const on = (v: string | undefined) => v === 'true' || v === '1';

function featuresOf(body: unknown, maxFeatures: number): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body must be a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}');
  }
  const fc = body as { type?: unknown; features?: unknown };
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    const hint = fc.type === 'Feature' ? '; to add one feature, POST it to /api/collections/{collection}/items' : '';
    throw badRequest(`the body must be a GeoJSON FeatureCollection with a features array${hint}`);
  }
  if (fc.features.length === 0) throw badRequest('the FeatureCollection has no features; nothing to import');
  if (fc.features.length > maxFeatures) {
    throw new HttpError(413, 'payload_too_large', `the import has ${fc.features.length} features; at most ${maxFeatures} are accepted at once (setting IMPORT_MAX_FEATURES): split the file`);
  }
  return fc.features;
}

/** Smallest and largest id (a loop: spreading 200,000 ids into Math.min overflows the stack). */
function idRange(ids: number[]): { first_id: number | null; last_id: number | null } {
  if (!ids.length) return { first_id: null, last_id: null };
  let first = ids[0];
  let last = ids[0];
  for (const id of ids) {
    if (id < first) first = id;
    if (id > last) last = id;
  }
  return { first_id: first, last_id: last };
}

export async function importRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache; bodyLimit: number; limits: Limits }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  app.post('/api/import/:collectionId', {
    bodyLimit: opts.bodyLimit,
    schema: {
      tags: ['import'],
      params: Type.Object({ collectionId: Type.String({ maxLength: 100 }) }),
      querystring: Type.Object({ skipInvalid: Bool, dryRun: Bool }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const raws = featuresOf(req.body, opts.limits.importMaxFeatures);
    const prepared = await prepareFeatures(db, c, raws, 'import', opts.limits);
    const skipInvalid = on(req.query.skipInvalid);
    if (on(req.query.dryRun)) {
      return { dryRun: true, collection: c.id, count: prepared.accepted.length, invalid: prepared.rejected, warnings: prepared.warnings };
    }
    if (prepared.rejected.length && (!skipInvalid || prepared.accepted.length === 0)) {
      const n = prepared.rejected.length;
      const what = skipInvalid ? 'no feature is valid' : `${n} of ${raws.length} features are invalid`;
      throw unprocessable('invalid_features', `${what}; nothing was written. Fix the features listed in details${skipInvalid ? '' : ', or import with ?skipInvalid=true to write only the valid ones'}.`, prepared.rejected);
    }
    const repo = new FeatureRepository(c);
    const ids = await db.transaction(async (tx) => {
      const ids = await repo.insertMany(tx, prepared.accepted.map((a) => a.feature));
      // One audit entry per import, with the counts and the new ids' range, not one per feature:
      // a county's 200,000 points must keep importing at tens of thousands of features a second.
      // Imports take ids from one sequence in one statement per batch, so the range is the list
      // in all but a concurrent-import case; each feature's own history starts at its first edit.
      await appendAudit(tx, actorOf(req), {
        action: 'import',
        collection: c.id,
        after: { imported: ids.length, ...idRange(ids) },
        details: { skipped: prepared.rejected.length, skip_invalid: skipInvalid },
      });
      return ids;
    });
    opts.tileCache.invalidate(c.id, extentOf(prepared.accepted.map((a) => a.feature.geometry as GeoJSON.Geometry)));
    if (ids.length >= ANALYZE_AFTER) await db.query(`ANALYZE ${ident(c.table)}`);
    // Road triggers filled the kilometre units, 1 to 30 per road; without their statistics the
    // planner takes road_units for empty and a setback search turns from seconds into minutes.
    if (c.id === 'roads' && ids.length >= ANALYZE_AFTER / 100) await db.query('ANALYZE road_lines, road_units');
    reply.code(201);
    return { collection: c.id, imported: ids.length, ids, skipped: prepared.rejected, warnings: prepared.warnings };
  });
}
