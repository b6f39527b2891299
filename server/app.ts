/**
 * Builds the HTTP app in a fixed order: core plugins → error handling → security headers → API routes → the client.
 * main.ts owns the process (config, database, signals); tests build the app on their own database.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { Db } from './db/index.js';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import { DEFAULT_LIMITS } from './limits.js';
import { registerSecurityHeaders } from './security-headers.js';
import { refuseDotSegments } from './dot-segments.js';
import { healthRoutes } from './routes/health.js';
import { featureRoutes } from './routes/features.js';
import { tileRoutes } from './routes/tiles.js';
import { importRoutes } from './routes/import.js';
import { VacuumLater } from './db/vacuum-later.js';
import { exportRoutes } from './routes/export.js';
import { TileCache } from './tiles/cache.js';
import { analysisRoutes } from './routes/analysis.js';
import { reportRoutes } from './routes/reports.js';
import { roadRoutes } from './routes/roads.js';
import { settingsRoutes } from './routes/settings.js';
import fastifyCookie from '@fastify/cookie';
import { installGuard } from './auth/guard.js';
import { authRoutes } from './routes/auth.js';
import { userRoutes } from './routes/users.js';
import { auditRoutes } from './routes/audit.js';
import { noticeRoutes } from './routes/notices.js';
import { greeningRoutes } from './routes/greening.js';
import { photoRoutes } from './routes/photos.js';
import { workflowRoutes } from './routes/workflow.js';
import { mediaDir } from './backup/media.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Gate } from './analysis/gate.js';

export const CLIENT_DIST = fileURLToPath(new URL('../dist/client/', import.meta.url));

export type AppOptions = Pick<Config, 'bodyMaxBytes' | 'importMaxBytes' | 'logLevel'> & Partial<Pick<Config, 'basemap' | 'tileCacheBytes' | 'limits' | 'publicRead' | 'sessionHours' | 'trustProxy' | 'dataDir' | 'photoMaxBytes' | 'analysisConcurrency'>> & { clientDir?: string | null };

const JSON_TYPES = ['application/json', 'application/geo+json', 'application/merge-patch+json'];

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** Turns any thrown error into { error, message, details? } with the right status; 5xx hide internals. */
function errorReply(err: FastifyError | HttpError, bodyLimit: number, requestId: string, contentType: string | undefined) {
  if (err instanceof HttpError) {
    return { status: err.statusCode, headers: err.headers, body: { error: err.code, message: err.message, details: err.details } };
  }
  const fe = err as FastifyError & { validation?: { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext ?? 'request';
    // A union of literals (f=json|geojson) fails once per literal and once more for anyOf: say it once.
    const allowedBy = new Map<string, unknown[]>();
    for (const v of fe.validation) {
      if (v.keyword === 'const') allowedBy.set(v.instancePath, [...(allowedBy.get(v.instancePath) ?? []), v.params.allowedValue]);
    }
    const validation = fe.validation.filter((v) => !((v.keyword === 'const' || v.keyword === 'anyOf') && allowedBy.has(v.instancePath)));
    for (const [path, values] of allowedBy) validation.push({ keyword: 'enum', instancePath: path, schemaPath: '', params: { allowedValues: values }, message: 'must be one of' });
    const details = validation.map((v) => {
      const name = v.instancePath.replace(/^\//, '') || String(v.params.missingProperty ?? v.params.additionalProperty ?? where);
      const message = v.keyword === 'additionalProperties'
        ? `unknown ${where === 'querystring' ? 'query parameter' : 'member'} ${v.params.additionalProperty}`
        : `${name} ${v.message ?? 'is not valid'}${v.params.allowedValues ? `: ${(v.params.allowedValues as unknown[]).join(', ')}` : ''}`;
      return { parameter: String(v.params.additionalProperty ?? name), message };
    });
    return { status: 400, body: { error: 'invalid_parameter', message: details.map((d) => d.message).join('; '), details } };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: 'payload_too_large', message: `the request body is larger than the limit of ${mb(bodyLimit)} for this route` } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: `${contentType ? `content type ${contentType.slice(0, 100)}` : 'a body without a content type'} is not accepted; send JSON with Content-Type: application/json (or application/geo+json)` } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid_json', message: 'the body is empty; send a JSON document' } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, body: { error: 'invalid_json', message: `the body is not valid JSON: ${fe.message}` } };
  }
  if (fe instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message))) {
    return { status: 400, body: { error: 'invalid_json', message: `the body is not valid JSON: ${fe.message}` } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: 'bad_request', message: fe.message } };
  }
  return { status: 500, body: { error: 'internal_error', message: `something went wrong on the server; the request id ${requestId} is in its log` } };
}

export async function buildApp(db: Db, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel },
    bodyLimit: options.bodyMaxBytes,
    // Unknown query parameters are refused (OGC API Features asks for 400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    requestIdHeader: false,
    return503OnClosing: true,
    // Behind a reverse proxy (TRUST_PROXY=1) X-Forwarded-For/-Proto give the client's address
    // (login throttling) and scheme (Secure cookies).
    trustProxy: options.trustProxy ?? false,
  });

  // JSON, GeoJSON and JSON Merge Patch are all parsed as JSON (prototype poisoning refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, parseJson);

  // While stopping, a request still in flight is answered and its connection closed at once;
  // otherwise close() would wait for the browser's keep-alive connection to time out (72 s).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    if (closing) reply.header('Connection', 'close');
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, body, headers } = errorReply(err, req.routeOptions.bodyLimit ?? options.bodyMaxBytes, req.id, req.headers['content-type']) as ReturnType<typeof errorReply> & { headers?: Record<string, string> };
    if (status >= 500) req.log.error({ err, reqId: req.id }, 'request failed');
    if (headers) reply.headers(headers);
    reply.code(status).type('application/json').send(body);
  });

  const clientDir = options.clientDir === undefined ? CLIENT_DIST : options.clientDir;
  const haveClient = clientDir !== null && existsSync(`${clientDir}index.html`);
  await registerSecurityHeaders(app, options.basemap, haveClient ? `${clientDir}index.html` : null);
  refuseDotSegments(app);
  // Before any route, so that every route is collected and guarded (auth/policy.ts has the rules).
  await app.register(fastifyCookie);
  installGuard(app, { db, publicRead: options.publicRead ?? false });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: '整治一张图 Remediation Map API', version: '1.0.0', description: 'OGC API – Features (Parts 1 and 4), vector tiles and bulk import' },
    },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const tileCache = new TileCache(options.tileCacheBytes ?? 0);
  const stopListening = await tileCache.attach(db);
  app.addHook('onClose', async () => stopListening());

  await app.register(healthRoutes, { db, basemap: options.basemap });
  const limits = options.limits ?? DEFAULT_LIMITS;
  await app.register(featureRoutes, { db, tileCache, limits });
  await app.register(tileRoutes, { db, tileCache });
  // VACUUM (ANALYZE) after imports (db/vacuum-later.ts); shutdown waits for it before the database closes.
  const vacuumLater = new VacuumLater(db, app.log);
  app.decorate('vacuumLater', vacuumLater);
  app.addHook('onClose', async () => vacuumLater.settled());
  await app.register(importRoutes, { db, tileCache, bodyLimit: options.importMaxBytes, limits, vacuumLater });
  await app.register(exportRoutes, { db });
  await app.register(roadRoutes, { db });
  // Analyses and reports share one gate: a place per core but one (ANALYSIS_CONCURRENCY).
  const analysisGate = new Gate(options.analysisConcurrency ?? Math.max(1, availableParallelism() - 1));
  await app.register(analysisRoutes, { db, gate: analysisGate });
  await app.register(reportRoutes, { db, gate: analysisGate });
  await app.register(settingsRoutes, { db });
  await app.register(authRoutes, { db, sessionHours: options.sessionHours ?? 12 });
  await app.register(userRoutes, { db });
  await app.register(auditRoutes, { db });
  // Photos live under DATA_DIR/media (also with DATABASE_URL); an app built without a DATA_DIR
  // (tests) keeps them in a scratch folder.
  const media = options.dataDir ? mediaDir(options.dataDir) : join(mkdtempSync(join(tmpdir(), 'remap-media-')), 'media');
  await app.register(photoRoutes, { db, mediaDir: media, photoMaxBytes: options.photoMaxBytes ?? 20 * 1024 * 1024 });
  await app.register(workflowRoutes, { db, tileCache, limits });
  await app.register(noticeRoutes, { db, mediaDir: media });
  await app.register(greeningRoutes, { db, tileCache });

  if (haveClient) await app.register(fastifyStatic, { root: clientDir!, wildcard: false, index: 'index.html' });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api')) {
      return reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}; see /api for what this API offers` });
    }
    if (req.method === 'GET' && haveClient) return reply.sendFile('index.html');
    return reply.code(404).type('text/plain; charset=utf-8').send('The map client is not built: run `npm run build` (npm start does it for you).');
  });

  return app;
}
