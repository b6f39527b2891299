/**
 * Photos: POST /api/photos (multipart, field `file`) stores the original and a thumbnail under
 * DATA_DIR/media/photos and answers its id, URLs and the EXIF place and time; GET routes serve
 * the metadata, the original and the thumbnail. Anonymous readers (public read-only mode) never
 * get a photo's GPS position: no lon/lat in JSON, and originals re-encoded without metadata.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyMultipart from '@fastify/multipart';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { HttpError, notFound } from '../errors.js';
import { appendAudit } from '../audit/log.js';
import { actorOf } from '../auth/guard.js';
import { readStoredFile, storePhoto, withoutMetadata } from '../photos/store.js';

export interface PhotoRow {
  id: string;
  sha256: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  original_path: string;
  thumbnail_path: string;
  taken_at: Date | string | null;
  uploaded_by: string | null;
  created_at: Date | string;
  lon: number | null;
  lat: number | null;
}

const iso = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

export const photoUrls = (id: number | string) => ({ url: `/api/photos/${id}/original`, thumbnail_url: `/api/photos/${id}/thumbnail` });

/** The JSON of a photo; GPS only for signed-in users. */
export function photoJson(r: PhotoRow, signedIn: boolean) {
  const id = Number(r.id);
  return {
    id,
    ...photoUrls(id),
    thumbnail_url: r.thumbnail_path ? `/api/photos/${id}/thumbnail` : null,
    mime: r.mime,
    bytes: r.bytes,
    width: r.width,
    height: r.height,
    uploaded_by: signedIn ? r.uploaded_by : null,
    created_at: iso(r.created_at),
    exif: signedIn ? { lon: r.lon, lat: r.lat, taken_at: iso(r.taken_at) } : { taken_at: iso(r.taken_at) },
  };
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

function parsePhotoId(raw: string): number {
  const n = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound(`no photo ${JSON.stringify(raw.slice(0, 40))}: photo ids are whole numbers`);
  return n;
}

export async function photoRoutes(fastify: FastifyInstance, opts: { db: Db; mediaDir: string; photoMaxBytes: number }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, mediaDir, photoMaxBytes } = opts;
  const mb = Math.round(photoMaxBytes / 1024 / 1024);
  // Registered in this plugin only: multipart bodies are accepted by the photo upload, nowhere else.
  await app.register(fastifyMultipart, { limits: { fileSize: photoMaxBytes, files: 1, fields: 4, fieldSize: 1024, parts: 6 } });

  async function getRow(id: number): Promise<PhotoRow> {
    const { rows } = await db.query<PhotoRow>(sqlFile('photos/get'), [id]);
    if (!rows[0]) throw notFound(`no photo ${id}`);
    return rows[0];
  }

  function cacheHeaders(reply: FastifyReply, req: FastifyRequest, etag: string): boolean {
    // Content-named files never change; private, since what a reader gets depends on who asks.
    reply.header('Cache-Control', 'private, max-age=31536000, immutable').header('ETag', etag).header('Vary', 'Cookie, Authorization');
    const inm = req.headers['if-none-match'];
    return !!inm && inm.split(',').some((t) => t.trim() === etag);
  }

  app.post('/api/photos', { schema: { tags: ['workflow'], consumes: ['multipart/form-data'] }, bodyLimit: photoMaxBytes + 64 * 1024 }, async (req, reply) => {
    if (!req.isMultipart()) {
      throw new HttpError(415, 'unsupported_media_type', 'send the photo as multipart/form-data with the file in the field "file"');
    }
    let file;
    try {
      file = await req.file();
    } catch (e) {
      throw mapMultipartError(e, mb);
    }
    if (!file) throw new HttpError(400, 'bad_request', 'no file in the request: send the photo in the multipart field "file"');
    if (file.fieldname !== 'file') throw new HttpError(400, 'bad_request', `the photo must be in the field "file", not "${file.fieldname.slice(0, 40)}"`);
    let buf: Buffer;
    try {
      buf = await file.toBuffer();
    } catch (e) {
      throw mapMultipartError(e, mb);
    }
    if (!buf.length) throw new HttpError(400, 'bad_request', 'the file is empty; choose a photo');
    const stored = await storePhoto(mediaDir, buf, file.filename ?? '');
    const row = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string; created_at: Date }>(sqlFile('photos/insert'), [
        stored.sha256, stored.mime, stored.bytes, stored.width, stored.height, stored.originalPath, stored.thumbnailPath,
        stored.exif.taken_at, stored.exif.lon, stored.exif.lat, req.user?.username ?? null,
      ]);
      const id = Number(rows[0].id);
      await appendAudit(tx, actorOf(req), { action: 'create', collection: 'photos', featureId: id, after: { sha256: stored.sha256, mime: stored.mime, bytes: stored.bytes, exif: stored.exif } });
      return { id };
    });
    reply.code(201).header('Location', `/api/photos/${row.id}`);
    return {
      id: row.id,
      ...photoUrls(row.id),
      thumbnail_url: stored.thumbnailPath ? `/api/photos/${row.id}/thumbnail` : null,
      ...(stored.thumbnailPath ? {} : { thumbnail_note: `${stored.mime} cannot be decoded on this server, so there is no thumbnail; the original is kept and can be downloaded` }),
      mime: stored.mime,
      width: stored.width,
      height: stored.height,
      exif: stored.exif,
    };
  });

  app.get('/api/photos/:id', { schema: { tags: ['workflow'], params: IdParams } }, async (req) => {
    const row = await getRow(parsePhotoId(req.params.id));
    return photoJson(row, !!req.user);
  });

  app.get('/api/photos/:id/thumbnail', { schema: { tags: ['workflow'], params: IdParams } }, async (req, reply) => {
    const row = await getRow(parsePhotoId(req.params.id));
    if (!row.thumbnail_path) {
      throw new HttpError(404, 'no_thumbnail', `photo ${row.id} is ${row.mime}, which this server cannot decode, so it has no thumbnail; download the original at /api/photos/${row.id}/original`);
    }
    if (cacheHeaders(reply, req, `"${row.sha256}-t"`)) return reply.code(304).send();
    return reply.type('image/jpeg').send(await readStoredFile(mediaDir, row.thumbnail_path));
  });

  app.get('/api/photos/:id/original', { schema: { tags: ['workflow'], params: IdParams } }, async (req, reply) => {
    const row = await getRow(parsePhotoId(req.params.id));
    const signedIn = !!req.user;
    if (cacheHeaders(reply, req, `"${row.sha256}${signedIn ? '' : '-public'}"`)) return reply.code(304).send();
    const data = await readStoredFile(mediaDir, row.original_path);
    reply.header('Content-Disposition', `inline; filename="photo-${row.id}.${row.original_path.split('.').pop()}"`);
    if (signedIn) return reply.type(row.mime).send(data);
    const clean = await withoutMetadata(data, row.mime);
    if (!clean) {
      throw new HttpError(403, 'forbidden', `the original of photo ${row.id} (${row.mime}) carries its GPS position, which this server cannot remove from this format; sign in to see it`);
    }
    return reply.type(clean.mime).send(clean.data);
  });
}

function mapMultipartError(e: unknown, mb: number): HttpError {
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err.code === 'FST_REQ_FILE_TOO_LARGE' || err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new HttpError(413, 'photo_too_large', `the photo is larger than the limit of ${mb} MB (setting PHOTO_MAX_MB); send a smaller photo`, [{ parameter: 'file', message: `at most ${mb} MB`, limit_mb: mb }]);
  }
  if (err.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new HttpError(415, 'unsupported_media_type', 'send the photo as multipart/form-data with the file in the field "file"');
  if (err.code === 'FST_FILES_LIMIT' || err.code === 'FST_PARTS_LIMIT' || err.code === 'FST_FIELDS_LIMIT') return new HttpError(400, 'bad_request', 'send one photo per request, in the field "file"');
  return new HttpError(400, 'bad_request', `the multipart body could not be read: ${(err.message ?? 'malformed').slice(0, 200)}`);
}
