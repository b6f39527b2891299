/**
 * Bulk import into one collection: a GeoJSON FeatureCollection as JSON, or a file of any format
 * formats/read.ts reads (multipart field `file`, or the raw body with its content type). Every
 * format becomes the same stream of GeoJSON features in WGS84, in batches (formats/convert.ts),
 * and goes through the one write path below. Atomic by default: if any feature is invalid nothing is written and
 * the 422 lists every bad feature; ?skipInvalid=true writes the valid ones and reports the rest;
 * ?dryRun=true checks and writes nothing (and previews the converted rows for the client's
 * field-mapping step).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db, Queryable } from '../db/index.js';
import { badRequest, HttpError, unprocessable } from '../errors.js';
import { prepareFeatures, type Rejected, type Warning } from '../collections/features.js';
import type { FieldError } from '../collections/properties.js';
import { FeatureRepository, INSERT_BATCH } from '../collections/repository.js';
import { collectionOr404 } from './features.js';
import type { VacuumLater } from '../db/vacuum-later.js';
import type { Extent, TileCache } from '../tiles/cache.js';
import { extentOf } from '../tiles/extent.js';
import type { Limits } from '../limits.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';
import fastifyMultipart from '@fastify/multipart';
import { Stream, type Readable } from 'node:stream';
import { openFile, type OpenedFile } from '../formats/read.js';
import { openGeoJson } from '../formats/read-geojson.js';
import { Incomplete, spool, TooLarge, type SpooledFile } from '../formats/spool.js';
import type { CollectionDef } from '../collections/registry.js';
import { convertBatch, parseMapping, planConversion, type CrsParam } from '../formats/convert.js';
import { parseCrsParam } from '../formats/crs.js';
import { parseEncoding } from '../formats/text.js';
import { gcjShiftWarning } from '../formats/gcj-check.js';

/** After this many new rows the planner's statistics are refreshed, so the next queries plan well. */
const ANALYZE_AFTER = 10_000;

/**
 * Content types taken as a raw file body (the format is then told by the bytes). Others, such as
 * text/plain or a form, are refused with 415 as on every route; multipart accepts any file.
 */
export const RAW_FILE_TYPES = [
  'application/zip', 'application/x-zip-compressed', 'application/octet-stream',
  'application/geopackage+sqlite3', 'application/x-sqlite3',
  'application/vnd.google-earth.kml+xml', 'application/vnd.google-earth.kmz', 'application/gpx+xml', 'text/xml',
  'text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

/** The JSON types of app.ts: on this route a JSON body is streamed to disk like a file. */
const JSON_TYPES = ['application/json', 'application/geo+json'];

const Bool = Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false'), Type.Literal('1'), Type.Literal('0')]));
const on = (v: string | undefined) => v === 'true' || v === '1';

function tooMany(n: number, maxFeatures: number): HttpError {
  return new HttpError(413, 'payload_too_large', `the import has ${n} features; at most ${maxFeatures} are accepted at once (setting IMPORT_MAX_FEATURES): split the file`);
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
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

export async function importRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache; bodyLimit: number; limits: Limits; vacuumLater: VacuumLater }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;
  const close = { Connection: 'close' };
  const fileTooLarge = () => new HttpError(413, 'payload_too_large', `the file is larger than the limit of ${mb(opts.bodyLimit)} for imports (setting IMPORT_MAX_MB); nothing was written`, undefined, close);
  // The words every route uses for a body over its limit (app.ts), with the setting to change.
  const bodyTooLarge = () => new HttpError(413, 'payload_too_large', `the request body is larger than the limit of ${mb(opts.bodyLimit)} for this route (setting IMPORT_MAX_MB); nothing was written`, undefined, close);

  // Every body is streamed to a scratch file (formats/spool.ts) and read from there: the parsers
  // below hand the handler the request stream itself instead of reading it into memory.
  // Multipart (field `file`) and the other file types are the file; JSON is a GeoJSON body.
  // Only these types (and multipart) reach the route; any other is 415 as everywhere.
  fastify.removeAllContentTypeParsers();
  await fastify.register(fastifyMultipart, { limits: { fileSize: opts.bodyLimit, files: 1, fields: 10, fieldSize: 1024 * 1024 } });
  fastify.addContentTypeParser([...RAW_FILE_TYPES, ...JSON_TYPES], (_req, payload, done) => done(null, payload));

  /** The uploaded file on disk, its name and type, and whether it came as a JSON body. */
  async function fileOf(req: FastifyRequest): Promise<{ file: SpooledFile; filename?: string; contentType?: string; json: boolean }> {
    // Refused before any of it is read; the rest of a body over the limit is never read either,
    // so the connection closes after the answer.
    const json = JSON_TYPES.includes((req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase());
    if (Number(req.headers['content-length']) > opts.bodyLimit) throw json ? bodyTooLarge() : fileTooLarge();
    const spoolOr413 = async (body: Readable, tooLarge: () => HttpError) => {
      try {
        return await spool(body, opts.bodyLimit);
      } catch (e) {
        if (e instanceof TooLarge || (e as { statusCode?: number }).statusCode === 413 || (e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw tooLarge();
        }
        // Nobody is left to read the answer; said as the client's fault, not logged as ours.
        if (e instanceof Incomplete) throw badRequest('the upload ended before the whole body arrived; nothing was written');
        throw e;
      }
    };
    if (req.isMultipart()) {
      let part;
      try {
        part = await req.file({ limits: { fileSize: opts.bodyLimit, files: 1 } });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 413) throw fileTooLarge();
        throw badRequest(`the multipart body is not readable: ${(e as Error).message}`);
      }
      if (!part) throw badRequest('the multipart body has no file; send it in the field named file');
      if (part.fieldname !== 'file') throw badRequest(`the file is in the field ${part.fieldname.slice(0, 40)}; send it in the field named file`);
      const file = await spoolOr413(part.file, fileTooLarge);
      // busboy cuts a part at the limit and flags it instead of failing the stream.
      if ((part.file as { truncated?: boolean }).truncated) {
        await file.dispose();
        throw fileTooLarge();
      }
      return { file, filename: part.filename, contentType: part.mimetype, json: false };
    }
    // No body at all (and so no content type): Fastify calls the route without a parser.
    if (!(req.body instanceof Stream)) throw badRequest('the request has no body; send the file (multipart field file, or the raw file with its content type) or a GeoJSON FeatureCollection');
    const file = await spoolOr413(req.body as Readable, json ? bodyTooLarge : fileTooLarge);
    return { file, contentType: req.headers['content-type'], json };
  }

  app.post('/api/import/:collectionId', {
    bodyLimit: opts.bodyLimit,
    schema: {
      tags: ['import'],
      params: Type.Object({ collectionId: Type.String({ maxLength: 100 }) }),
      querystring: Type.Object({
        skipInvalid: Bool,
        dryRun: Bool,
        crs: Type.Optional(Type.String({ maxLength: 100, description: 'EPSG:4527, EPSG:4548, EPSG:4490, gcj02, …; default: from the file' })),
        encoding: Type.Optional(Type.String({ maxLength: 20, description: 'gbk or utf-8; default: from the .cpg, else detected' })),
        mapping: Type.Optional(Type.String({ maxLength: 10_000, description: 'JSON: collection property → source field' })),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const q = req.query;
    const crsParam: CrsParam = q.crs === undefined ? undefined : /^gcj-?02$/i.test(q.crs.trim()) ? 'gcj02' : parseCrsParam(q.crs);
    const encoding = parseEncoding(q.encoding);
    if (q.encoding !== undefined && !encoding) throw badRequest(`encoding ${JSON.stringify(q.encoding)} is not supported; use gbk or utf-8`);
    const mapping = parseMapping(q.mapping, c);
    // The parameters are checked before the body is read; the body is a file on disk from here
    // on, removed when the import has answered.
    const upload = await fileOf(req);
    try {
      const opened = upload.json
        ? await geoJsonBody(upload.file)
        : await openFile(upload.file, { filename: upload.filename, contentType: upload.contentType, encoding, maxUnzippedBytes: opts.bodyLimit * 4 });
      try {
        // A plain GeoJSON body in WGS84 with no options passes through unconverted, as it always did.
        const plain = upload.json && crsParam === undefined && !q.mapping;
        return await importFeatures(req, reply, c, opened, { plain, crsParam, mapping, skipInvalid: on(q.skipInvalid), dryRun: on(q.dryRun), filename: upload.filename });
      } finally {
        opened.close?.();
      }
    } finally {
      await upload.file.dispose();
    }
  });

  /** A JSON body: a FeatureCollection with features, refused as the in-memory body was. */
  async function geoJsonBody(file: SpooledFile): Promise<OpenedFile> {
    if (file.size === 0) throw new HttpError(400, 'invalid_json', 'the body is empty; send a JSON document');
    const opened = await openGeoJson(file.path, 'body');
    if (opened.kind === 'Feature') throw badRequest('the body must be a GeoJSON FeatureCollection with a features array; to add one feature, POST it to /api/collections/{collection}/items');
    if (opened.count === 0) throw badRequest('the FeatureCollection has no features; nothing to import');
    if (opened.count > opts.limits.importMaxFeatures) throw tooMany(opened.count, opts.limits.importMaxFeatures);
    return opened;
  }

  interface ImportOptions {
    plain: boolean;
    crsParam: CrsParam;
    mapping: ReturnType<typeof parseMapping>;
    skipInvalid: boolean;
    dryRun: boolean;
    filename?: string;
  }

  async function importFeatures(req: FastifyRequest, reply: FastifyReply, c: CollectionDef, opened: OpenedFile, o: ImportOptions) {
    const { plain, crsParam, mapping, skipInvalid, dryRun } = o;
    const conv = plain ? undefined : planConversion(opened, opened.sample, c, crsParam, mapping);
    const fileWarnings = [...(conv?.warnings ?? [])];
    // What a reader finds only on reading to the end (a Shapefile's shapes and records that do
    // not pair up) comes after the plan copied its warnings.
    const known = opened.warnings.length;
    const lateWarnings = () => fileWarnings.push(...opened.warnings.slice(known));
    const geometryErrors = new Map<number, FieldError>();
    const repo = new FeatureRepository(c);

    /**
     * The one write path, batch by batch: convert, check, and (unless this is a dry run or an
     * invalid feature was met without skipInvalid) insert into the open transaction. Memory holds
     * one batch of objects at a time; an invalid feature makes the transaction roll back at the
     * end, after every feature has been checked, so the 422 lists them all.
     */
    async function run(tx: Queryable | undefined) {
      const rejected: Rejected[] = [];
      const warnings: Warning[] = [];
      const ids: number[] = [];
      const preview: unknown[] = [];
      let total = 0;
      let accepted = 0;
      let extent: Extent | undefined;
      let inserting: Promise<void> | undefined;
      let stopped = false;
      try {
        for await (const batch of opened.batches(INSERT_BATCH)) {
          const first = total;
          total += batch.length;
          if (total > opts.limits.importMaxFeatures) throw tooMany(total, opts.limits.importMaxFeatures);
          const raws = conv ? convertBatch(conv, batch, first, geometryErrors) : batch;
          // A patrol track uploaded without an inspector is the uploader's own (a phone's GPX).
          if (c.id === 'patrols' && req.user) {
            for (const f of raws as ({ properties?: Record<string, unknown> | null } | null)[]) {
              if (!f || typeof f !== 'object') continue; // left for the feature check to refuse
              const properties = (f.properties ??= {});
              properties.inspector ??= req.user.username;
            }
          }
          if (first === 0 && crsParam !== 'gcj02') {
            const shift = await gcjShiftWarning(tx ?? db, raws as { geometry: unknown }[]);
            if (shift) fileWarnings.push(shift);
          }
          if (preview.length < 20) preview.push(...raws.slice(0, 20 - preview.length));
          const prepared = await prepareFeatures(tx ?? db, c, raws, 'import', opts.limits);
          for (const r of prepared.rejected) {
            const index = r.index + first;
            const why = geometryErrors.get(index);
            rejected.push(why ? { ...r, index, reason: why.reason, errors: [why, ...r.errors.filter((e) => e.property !== 'geometry')] } : { ...r, index });
          }
          for (const w of prepared.warnings) warnings.push({ ...w, index: w.index + first });
          accepted += prepared.accepted.length;
          if (tx && (skipInvalid || rejected.length === 0)) {
            // The insert runs in PostgreSQL while the next batch is read and checked here: the two
            // halves of the work overlap instead of taking turns. Inserts stay in order, one after
            // the other on the transaction's connection.
            const features = prepared.accepted.map((a) => a.feature);
            const previous = inserting;
            inserting = (async () => {
              await previous;
              if (stopped) return;
              for (const id of await repo.insertMany(tx, features)) ids.push(id);
            })();
            inserting.catch(() => {}); // awaited below (or the transaction is rolled back anyway)
            const e = extentOf(features.map((f) => f.geometry as GeoJSON.Geometry));
            if (e) extent = extent ? [Math.min(extent[0], e[0]), Math.min(extent[1], e[1]), Math.max(extent[2], e[2]), Math.max(extent[3], e[3])] : e;
          }
        }
        await inserting;
      } finally {
        // Never leave with an insert still to come: the caller rolls the transaction back and
        // hands its connection on, and a batch sent after that would be written outside it.
        stopped = true;
        await inserting?.catch(() => {});
      }
      if (total === 0) throw badRequest('the file has no features; nothing to import');
      return { rejected, warnings, ids, preview, total, accepted, extent };
    }

    const about = () => (conv ? { format: opened.format, crs: conv.crs, encoding: 'encoding' in opened ? opened.encoding : undefined, fields: opened.fields, mapping: conv.mapping, file_warnings: fileWarnings } : fileWarnings.length ? { file_warnings: fileWarnings } : {});
    if (dryRun) {
      const r = await run(undefined);
      lateWarnings();
      return { dryRun: true, collection: c.id, count: r.accepted, invalid: r.rejected, warnings: r.warnings, ...about(), preview: r.preview };
    }
    const result = await db.transaction(async (tx) => {
      const r = await run(tx);
      lateWarnings();
      if (r.rejected.length && (!skipInvalid || r.accepted === 0)) {
        const what = skipInvalid ? 'no feature is valid' : `${r.rejected.length} of ${r.total} features are invalid`;
        // Thrown inside the transaction: whatever was inserted is rolled back.
        throw unprocessable('invalid_features', `${what}; nothing was written. Fix the features listed in details${skipInvalid ? '' : ', or import with ?skipInvalid=true to write only the valid ones'}.`, r.rejected);
      }
      // One audit entry per import, with the counts and the new ids' range, not one per feature:
      // a county's 200,000 points must keep importing at tens of thousands of features a second.
      // Imports take ids from one sequence in one statement per batch, so the range is the list
      // in all but a concurrent-import case; each feature's own history starts at its first edit.
      await appendAudit(tx, actorOf(req), {
        action: 'import',
        collection: c.id,
        after: { imported: r.ids.length, ...idRange(r.ids) },
        details: { skipped: r.rejected.length, skip_invalid: skipInvalid, ...(conv ? { format: opened.format, crs: conv.crs, filename: o.filename } : {}) },
      });
      return r;
    });
    const { ids, rejected, warnings } = result;
    opts.tileCache.invalidate(c.id, result.extent);
    if (c.id === 'roads') {
      // Road triggers filled the kilometre units, 1 to 30 per road; without their statistics the
      // planner takes road_units for empty and a setback search turns from seconds into minutes,
      // so the answer waits for them (under 0.1 s for the county set's 340 roads).
      if (ids.length >= ANALYZE_AFTER / 100) await db.query('ANALYZE roads, road_lines, road_units');
    } else if (ids.length >= ANALYZE_AFTER) {
      opts.vacuumLater.soon(c.table);
    }
    reply.code(201);
    return { collection: c.id, imported: ids.length, ids, skipped: rejected, warnings, ...about() };
  }
}
