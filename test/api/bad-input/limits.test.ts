/**
 * Every limit of README "Limits" answers a 4xx that names the limit, fast, and writes nothing:
 * body size (streamed for real over a socket), features per import, vertices per geometry,
 * page size, property lengths; and bodies of the wrong type or not JSON at all.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import type { Db } from '../../../server/db/index.js';
import { DEFAULT_LIMITS } from '../../../server/limits.js';
import { testApp, withAuthorization, json, feature, point, TEST_LIMITS } from '../../helpers/app.js';
import { counts, expectRefused, refusedWithoutWrite } from './refusal.js';

let app: FastifyInstance;
let db: Db;
let adminAuth: string;
let pointId: number;

beforeAll(async () => {
  ({ app, db, adminAuth } = await testApp());
  const r = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic' })) });
  pointId = r.json().id;
});
afterAll(() => app?.close());

/** A polygon ring of n vertices (a circle, closed), as JSON text built without a huge object. */
function ringText(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n - 1; i++) {
    const a = (2 * Math.PI * i) / (n - 1);
    parts.push(`[${(117.2 + 0.01 * Math.cos(a)).toFixed(7)},${(32.95 + 0.01 * Math.sin(a)).toFixed(7)}]`);
  }
  parts.push(parts[0]);
  return `[${parts.join(',')}]`;
}
const plotText = (ring: string) => `{"type":"Feature","properties":{"plot_code":"XB-big","year":2025,"planned_mu":10},"geometry":{"type":"Polygon","coordinates":[${ring}]}}`;

describe('vertices per geometry (MAX_VERTICES)', () => {
  it('refuses a million-vertex polygon on import fast, naming the limit, and writes nothing', async () => {
    const body = `{"type":"FeatureCollection","features":[${plotText(ringText(1_000_000))}]}`;
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const started = Date.now();
    const err = await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/import/afforestation_plots', headers: { 'content-type': 'application/json' }, payload: body }, 422);
    const ms = Date.now() - started;
    expect((err.details as { reason: string }[])[0].reason).toBe(`geometry has more than ${DEFAULT_LIMITS.maxVertices} vertices (setting MAX_VERTICES); simplify it or split it into several features`);
    expect(ms, 'refused within 10 s').toBeLessThan(10_000);
    // The server still answers at once.
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  it('refuses a geometry over the limit on item routes with 413, and honours MAX_VERTICES', async () => {
    const small = withAuthorization(await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, limits: { maxVertices: 50, importMaxFeatures: 3 } }), adminAuth);
    try {
      const ring = ringText(60);
      await refusedWithoutWrite(small, db, { method: 'POST', url: '/api/collections/afforestation_plots/items', headers: { 'content-type': 'application/json' }, payload: plotText(ring) }, 413, /more than 50 vertices \(setting MAX_VERTICES\)/);
      await refusedWithoutWrite(small, db, { method: 'PATCH', url: `/api/collections/garbage_points/items/${pointId}`, ...json({ geometry: { type: 'MultiPoint', coordinates: [] } }) }, 422, /MultiPoint is not allowed/);
      const under = await small.inject({ method: 'POST', url: '/api/collections/afforestation_plots/items', headers: { 'content-type': 'application/json' }, payload: plotText(ringText(40)) });
      expect(under.statusCode, under.body).toBe(201);
      await small.inject({ method: 'DELETE', url: `/api/collections/afforestation_plots/items/${under.json().id}` });
    } finally {
      await small.close();
    }
  });
});

describe('features per import (IMPORT_MAX_FEATURES)', () => {
  it('refuses more features than the limit with 413, naming it and the setting', async () => {
    const small = withAuthorization(await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, limits: { maxVertices: 1000, importMaxFeatures: 3 } }), adminAuth);
    try {
      const four = { type: 'FeatureCollection', features: [0, 1, 2, 3].map((i) => feature(point(117.2 + i * 0.001, 32.95), { category: 'domestic' })) };
      await refusedWithoutWrite(small, db, { method: 'POST', url: '/api/import/garbage_points', ...json(four) }, 413, /the import has 4 features; at most 3 are accepted at once \(setting IMPORT_MAX_FEATURES\): split the file/);
      const three = await small.inject({ method: 'POST', url: '/api/import/garbage_points?dryRun=true', ...json({ ...four, features: four.features.slice(1) }) });
      expect(three.statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('body size (BODY_MAX_MB, IMPORT_MAX_MB)', () => {
  let server: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    server = await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null });
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => server?.close());

  /**
   * Streams up to `total` bytes of a JSON-looking body in 1 MB chunks and stops as soon as the
   * answer arrives; returns the answer and how many bytes had been sent by then.
   */
  function stream(path: string, total: number, declareLength: boolean, attempt = 1): Promise<{ status: number; body: string; headers: Record<string, unknown>; sent: number; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let sent = 0;
      let answered = false;
      const headers: Record<string, string | number> = { 'content-type': 'application/json', authorization: adminAuth };
      if (declareLength) headers['content-length'] = total;
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode!, body, headers: res.headers, sent, ms: Date.now() - started });
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (answered) return;
        // A reset that overtook the answer (see pump): try again, at most twice.
        if ((e.code === 'EPIPE' || e.code === 'ECONNRESET') && attempt < 3) resolve(stream(path, total, declareLength, attempt + 1));
        else reject(e);
      });
      const chunk = Buffer.alloc(1024 * 1024, ' ');
      req.write('{"type":"FeatureCollection","features":[');
      // One chunk per turn of the event loop, so the answer is seen as soon as it arrives and no
      // more is written after it (writing on would make the server's close a reset that can
      // swallow the answer, as it would for any HTTP client that ignores early responses).
      const pump = () => {
        if (answered) return;
        if (sent >= total) return void req.end();
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once('drain', pump);
      };
      pump();
    });
  }

  it('answers 413 to a declared 200 MB import at once, before the body is sent', async () => {
    const before = await counts(db);
    const r = await stream('/api/import/garbage_points', 200 * 1024 * 1024, true);
    expectRefused({ statusCode: r.status, body: r.body, headers: r.headers as never }, 413, /larger than the limit of 128 MB for this route/);
    expect(r.sent, 'bytes sent before the answer').toBeLessThan(150 * 1024 * 1024);
    expect(r.ms).toBeLessThan(10_000);
    expect(await counts(db)).toEqual(before);
  });

  it('answers 413 to a chunked body without a length once it passes the limit, without reading 200 MB', async () => {
    const before = await counts(db);
    const r = await stream('/api/collections/garbage_points/items', 200 * 1024 * 1024, false);
    expectRefused({ statusCode: r.status, body: r.body, headers: r.headers as never }, 413, /larger than the limit of 4 MB for this route/);
    expect(r.sent).toBeLessThan(100 * 1024 * 1024);
    expect(await counts(db)).toEqual(before);
  });
});

describe('page size, property lengths, extra attributes', () => {
  it('refuses a limit that is not a whole number from 1, and caps a larger one at 10,000 (OGC)', async () => {
    for (const limit of ['0', '-1', 'abc', '1.5', '1e3']) {
      const r = await app.inject({ url: `/api/collections/garbage_points/items?limit=${limit}` });
      expectRefused(r, 400, /limit: use a whole number from 1 to 10000/);
    }
    const big = await app.inject({ url: '/api/collections/garbage_points/items?limit=100000' });
    expect(big.statusCode).toBe(200);
    expect(big.json().links.find((l: { rel: string }) => l.rel === 'self').href).toContain('limit=100000');
  });

  it('refuses text longer than its property allows', async () => {
    await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic', description: 'x'.repeat(2001) })) }, 422, /description is 2001 characters long; at most 2000 are allowed/);
    await refusedWithoutWrite(app, db, { method: 'PATCH', url: `/api/collections/garbage_points/items/${pointId}`, ...json({ properties: { category: '类'.repeat(65) } }) }, 422, /category is 65 characters long; at most 64/);
  });

  it('refuses more than 64 KB of extra attributes a feature on import', async () => {
    const fc = { type: 'FeatureCollection', features: [feature(point(117.2, 32.95), { category: 'domestic', remark: 'y'.repeat(70 * 1024) })] };
    const err = await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/import/garbage_points', ...json(fc) }, 422);
    expect((err.details as { reason: string }[])[0].reason).toMatch(/extra attributes \(source\) are 71 KB of JSON; at most 64 KB a feature are kept/);
  });

  it('refuses an unknown property name of any length without echoing all of it', async () => {
    const err = await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic', ['k'.repeat(100_000)]: 1 })) }, 422);
    expect(err.message.length).toBeLessThan(2000);
  });
});

describe('bodies that are not JSON', () => {
  const bodies: [string, string, string, number, RegExp][] = [
    ['text/plain', 'text/plain', '{"type":"Feature"}', 415, /content type text\/plain is not accepted; send JSON/],
    ['XML', 'application/xml', '<Feature/>', 415, /application\/xml is not accepted/],
    ['form data', 'application/x-www-form-urlencoded', 'a=1', 415, /not accepted/],
    ['no content type', '', '{"type":"Feature"}', 415, /a body without a content type is not accepted/],
    ['broken JSON', 'application/json', '{"type": "Feature",', 400, /not valid JSON/],
    ['an empty body', 'application/json', '', 400, /the body is empty/],
    ['prototype poisoning', 'application/json', '{"type":"Feature","__proto__":{"admin":true}}', 400, /not valid JSON/],
  ];
  for (const [name, type, payload, status, message] of bodies) {
    it(`refuses ${name} on items and import`, async () => {
      for (const url of ['/api/collections/garbage_points/items', '/api/import/garbage_points', `/api/collections/garbage_points/items/${pointId}`]) {
        const method = url.endsWith(String(pointId)) ? 'PUT' : 'POST';
        const headers: Record<string, string> = type ? { 'content-type': type } : {};
        await refusedWithoutWrite(app, db, { method, url, headers, payload }, status, message);
      }
    });
  }

  it('refuses JSON that is not a feature: an array, a number, a FeatureCollection on items', async () => {
    for (const payload of ['[]', '42', '"x"', 'null', '{"type":"FeatureCollection","features":[]}']) {
      await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/collections/garbage_points/items', headers: { 'content-type': 'application/json' }, payload }, [400, 422]);
      await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/import/garbage_points', headers: { 'content-type': 'application/json' }, payload }, [400, 422]);
    }
  });
});
