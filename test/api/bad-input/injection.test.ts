/**
 * SQL in ids, filters and every query parameter; path traversal in tile and static paths;
 * unknown collections; HTML and script in properties. Values reach SQL only as $n parameters and
 * identifiers only from the registry: each case is a plain 4xx, the tables are all still there
 * and nothing changed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.js';
import type { Db } from '../../../server/db/index.js';
import { testApp, withAuthorization, json, feature, point, line, TEST_LIMITS } from '../../helpers/app.js';
import { counts, expectRefused, refusedWithoutWrite } from './refusal.js';

let app: FastifyInstance;
let db: Db;
let adminAuth: string;
let pointId: number;

const SQL = ["1;DROP TABLE roads", "' OR '1'='1", "1' UNION SELECT version()--", "roads\"; DELETE FROM garbage_points; --", "$1", "%00", "1)::text; SELECT pg_sleep(5)--"];
const enc = encodeURIComponent;

beforeAll(async () => {
  ({ app, db, adminAuth } = await testApp());
  pointId = (await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic' })) })).json().id;
  await app.inject({ method: 'POST', url: '/api/collections/roads/items', ...json(feature(line([[117.19, 32.94], [117.21, 32.96]]), { code: 'S225', name: '合徐线', class: 'provincial' })) });
});
afterAll(() => app?.close());

async function refusedGet(url: string, status?: number | number[], message?: RegExp) {
  const before = await counts(db);
  const started = Date.now();
  const r = await app.inject({ url });
  expectRefused(r, status, message);
  // pg_sleep never ran: the answer is immediate.
  expect(Date.now() - started, url).toBeLessThan(4000);
  expect(await counts(db), url).toEqual(before);
}

describe('SQL in ids, filters and query parameters', () => {
  it('in a feature id: 404 on read, write and delete', async () => {
    for (const s of SQL) {
      const url = `/api/collections/garbage_points/items/${enc(s)}`;
      await refusedGet(url, 404, /feature ids are whole numbers/);
      await refusedWithoutWrite(app, db, { method: 'PATCH', url, ...json({ properties: { status: 'cleared' } }) }, 404);
      await refusedWithoutWrite(app, db, { method: 'DELETE', url }, 404);
    }
  });

  it('in filters, bbox, datetime, limit, offset and f on items and tiles', async () => {
    for (const s of SQL) {
      for (const base of ['/api/collections/garbage_points/items', '/api/tiles/garbage_points/12/3387/1658.mvt']) {
        for (const param of ['status', 'datetime', ...(base.includes('items') ? ['bbox', 'limit', 'offset', 'f'] : [])]) {
          await refusedGet(`${base}?${param}=${enc(s)}`, 400, new RegExp(param === 'f' ? 'f must be one of: json, geojson' : param));
        }
      }
    }
  });

  it('as a query parameter name', async () => {
    for (const s of SQL) await refusedGet(`/api/collections/garbage_points/items?${enc(s)}=1`, 400, /unknown query parameter/);
  });

  it('in tile coordinates', async () => {
    for (const s of SQL) {
      await refusedGet(`/api/tiles/garbage_points/${enc(s)}/0/0.mvt`, 400, /z: must be a whole number/);
      await refusedGet(`/api/tiles/garbage_points/1/${enc(s)}/0.mvt`, 400, /x: must be a whole number/);
    }
  });

  it('in every analysis parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/api/analysis/setback?distance_m=', /distance_m/],
      ['/api/analysis/setback?reference=', /reference/],
      ['/api/analysis/setback?roads=', /no road with code/],
      ['/api/analysis/setback?village=', /no village/],
      ['/api/analysis/setback?statuses=', /statuses/],
      ['/api/analysis/corridor?month=', /month/],
      ['/api/analysis/corridor?month=2026-10&corridor_m=', /corridor_m/],
      ['/api/analysis/rewards?from=', /from/],
      ['/api/analysis/facilities?distance_m=', /distance_m/],
      ['/api/analysis/facilities?suggest=', /suggest/],
      ['/api/analysis/green-corridor?distance_m=', /distance_m/],
      ['/api/analysis/afforestation?year=', /year/],
      ['/api/analysis/afforestation?village=', /village/],
      ['/api/analysis/patrol-coverage?month=', /month/],
      ['/api/analysis/patrol-coverage?buffer_m=', /buffer_m/],
      ['/api/analysis/patrol-coverage?min_share=', /min_share/],
      ['/api/analysis/patrol-coverage?roads=', /no road with code/],
      ['/api/roads/locate?q=', /q|stake|road/i],
      ['/api/roads/1/stake?lon=117.2&lat=', /lat/],
    ];
    for (const s of SQL) for (const [url, message] of cases) await refusedGet(`${url}${enc(s)}`, [400, 404], message);
  });

  it('in a settings key and value', async () => {
    for (const s of SQL) {
      await refusedWithoutWrite(app, db, { method: 'PUT', url: `/api/settings/${enc(s)}`, ...json(10) }, [400, 404]);
    }
    await refusedWithoutWrite(app, db, { method: 'PUT', url: '/api/settings/setback_m_by_class', ...json({ national: "10; DROP TABLE roads" }) }, [400, 422]);
    const tables = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('roads', 'garbage_points', 'settings')");
    expect(tables.rows[0].n).toBe(3);
  });

  it('leaves a stored value with SQL in it as text', async () => {
    const r = await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${pointId}`, ...json({ properties: { description: "'); DROP TABLE garbage_points; --" } }) });
    expect(r.statusCode).toBe(200);
    expect(r.json().properties.description).toBe("'); DROP TABLE garbage_points; --");
    expect((await app.inject({ url: `/api/collections/garbage_points/items?limit=1` })).json().numberMatched).toBe(1);
  });
});

describe('unknown collections', () => {
  it('answer 404 with the list of collections on every route', async () => {
    for (const name of ['nope', 'pg_user', 'roads;', 'a..b', 'ROADS', '道路']) {
      const c = enc(name);
      for (const url of [`/api/collections/${c}`, `/api/collections/${c}/items`, `/api/collections/${c}/items/1`, `/api/tiles/${c}/0/0/0.mvt`, `/api/tiles/${c}.json`]) {
        await refusedGet(url, 404);
      }
      const [status, message] = [404, /the collections are roads, villages/];
      await refusedWithoutWrite(app, db, { method: 'POST', url: `/api/collections/${c}/items`, ...json(feature(point(117.2, 32.95), { category: 'domestic' })) }, status, message);
      await refusedWithoutWrite(app, db, { method: 'POST', url: `/api/import/${c}`, ...json({ type: 'FeatureCollection', features: [feature(point(117.2, 32.95), { category: 'domestic' })] }) }, status, message);
    }
  });
});

/** GET over a raw socket: the path goes out exactly as written (fetch and inject would normalise "../"). */
function rawGet(port: number, path: string): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${adminAuth}\r\nConnection: close\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (text += d));
    socket.on('error', reject);
    socket.on('end', () => {
      const [head, ...rest] = text.split('\r\n\r\n');
      const [status, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      // Bodies here are small and sent in one chunk or with a length: no chunk framing to undo
      // beyond stripping its size lines.
      const body = headers['transfer-encoding'] === 'chunked' ? rest.join('\r\n\r\n').replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/gi, '') : rest.join('\r\n\r\n');
      resolve({ statusCode: Number(status.split(' ')[1]), headers, body: body.trim() });
    });
  });
}

describe('path traversal', () => {
  const TRAVERSALS = ['../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', '..%5c..%5cwindows', '%252e%252e%252fetc', '.%2e/etc/passwd'];
  let root: string;
  let server: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    // A client directory with a secret file next to it: no path may reach the secret.
    root = mkdtempSync(join(tmpdir(), 'remap-static-'));
    mkdirSync(join(root, 'client'));
    writeFileSync(join(root, 'client', 'index.html'), '<!doctype html><title>map</title>');
    writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');
    server = await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: `${join(root, 'client')}/` });
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => server?.close());

  it('in tile and collection paths: 400 in the error shape, no file read', async () => {
    for (const t of TRAVERSALS) {
      for (const url of [`/api/tiles/${t}/0/0/0.mvt`, `/api/tiles/garbage_points/${t}.mvt`, `/api/tiles/${t}.json`, `/api/collections/${t}/items`, `/api/tiles/garbage_points/0/0/0.mvt/${t}`]) {
        const r = await rawGet(port, url);
        expect(r.body, url).not.toMatch(/root:|TOP-SECRET/);
        expectRefused(r, 400, /"\.\." segment/);
      }
    }
  });

  it('in static paths: 400, never the file next to the client directory', async () => {
    for (const t of ['../secret.txt', '..%2fsecret.txt', '%2e%2e%2fsecret.txt', '%2e%2e/secret.txt', '..%5csecret.txt', 'x/..%2f..%2fsecret.txt', '%252e%252e%252fsecret.txt', 'assets/../../secret.txt']) {
      const r = await rawGet(port, `/${t}`);
      expect(r.body, t).not.toContain('TOP-SECRET');
      expectRefused(r, 400, /"\.\." segment/);
    }
    // The client itself is still served, and names with dots that are not ".." are not refused.
    expect((await rawGet(port, '/')).body).toContain('<title>map</title>');
    expect((await rawGet(port, '/api/tiles/garbage_points.json')).statusCode).toBe(200);
  });
});

describe('HTML and script in properties', () => {
  const HTML = '<img src=x onerror="window.__xss=1"><script>alert(1)</script>';

  it('are stored verbatim and returned as JSON, on items and on import', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: '<b>x</b>', description: HTML })) });
    expect(r.statusCode).toBe(201);
    const got = await app.inject({ url: `/api/collections/garbage_points/items/${r.json().id}` });
    expect(got.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.json().properties).toMatchObject({ category: '<b>x</b>', description: HTML });
    const imp = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...json({ type: 'FeatureCollection', features: [feature(point(117.2, 32.95), { category: 'domestic', description: HTML, '<svg onload=alert(1)>': HTML })] }) });
    expect(imp.statusCode).toBe(201);
    const stored = await app.inject({ url: `/api/collections/garbage_points/items/${imp.json().ids[0]}` });
    expect(stored.json().properties.description).toBe(HTML);
    expect(stored.json().properties.source['<svg onload=alert(1)>']).toBe(HTML);
  });
});
