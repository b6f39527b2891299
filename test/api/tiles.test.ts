import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json, feature, point, TEST_LIMITS } from '../helpers/app.js';
import { decodeTile, tileOf } from '../helpers/mvt.js';
import type { Db } from '../../server/db/index.js';

let app: FastifyInstance;
let db: Db;
// z15 tile 27052/13240 spans about 117.2021–117.2131°E, 32.9450–32.9542°N; the points sit well inside.
const [X, Y] = tileOf(117.206, 32.949, 15);
beforeAll(async () => {
  ({ app, db } = await testApp());
  const features = Array.from({ length: 40 }, (_, i) => feature(point(117.205 + (i % 8) * 0.0005, 32.948 + Math.floor(i / 8) * 0.0005), {
    category: i % 2 ? 'domestic' : 'construction', status: i < 10 ? 'reported' : 'cleared',
    reported_at: `2026-${i < 20 ? '09' : '10'}-15T10:00:00+08:00`, cleared_at: i < 10 ? null : '2026-10-20T10:00:00+08:00',
  }));
  await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...json({ type: 'FeatureCollection', features }) });
});
afterAll(async () => {
  await app.close();
});

const url = (q = '') => `/api/tiles/garbage_points/15/${X}/${Y}.mvt${q}`;

describe('GET /api/tiles/{collection}/{z}/{x}/{y}.mvt', () => {
  it('serves MVT with an ETag, revalidates with 304, and 204 for an empty tile', async () => {
    const r = await app.inject(url());
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(r.headers['cache-control']).toBe('no-cache');
    const tile = decodeTile(r.rawPayload);
    expect(tile.garbage_points.features).toHaveLength(40);
    const again = await app.inject({ url: url(), headers: { 'if-none-match': r.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject('/api/tiles/garbage_points/15/0/0.mvt')).statusCode).toBe(204);
  });

  it('applies the same filters as items, so map and counts agree', async () => {
    const q = '?status=reported&datetime=2026-09-01/2026-09-30';
    const tile = decodeTile((await app.inject(url(q))).rawPayload);
    const items = (await app.inject(`/api/collections/garbage_points/items${q}`)).json();
    expect(tile.garbage_points.features.map((f) => f.id).sort((a, b) => a! - b!)).toEqual(items.features.map((f: { id: number }) => f.id));
    expect(items.numberMatched).toBe(10);
    expect((await app.inject(url('?status=lost'))).statusCode).toBe(400);
    expect((await app.inject(url('?v=17'))).statusCode).toBe(200);
    expect((await app.inject(url('?colour=red'))).json().message).toMatch(/unknown query parameter colour/);
  });

  it('shows a write on the next request (no stale tile)', async () => {
    const before = await app.inject(url());
    const created = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2061, 32.9491), { category: 'bulky' })) });
    const after = await app.inject({ url: url(), headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(decodeTile(after.rawPayload).garbage_points.features.map((f) => f.id)).toContain(created.json().id);
    await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${created.json().id}`, ...json({ properties: { status: 'verified', cleared_at: '2030-01-01T00:00:00Z' } }) });
    const patched = decodeTile((await app.inject(url())).rawPayload).garbage_points.features.find((f) => f.id === created.json().id)!;
    expect(patched.properties.status).toBe('verified');
    await app.inject({ method: 'DELETE', url: `/api/collections/garbage_points/items/${created.json().id}` });
    expect(decodeTile((await app.inject(url())).rawPayload).garbage_points.features.map((f) => f.id)).not.toContain(created.json().id);
  });

  it('shows a write made outside the app (psql, another server) once its commit is announced', async () => {
    const statusOf = async (id: number) => decodeTile((await app.inject(url())).rawPayload).garbage_points.features.find((f) => f.id === id)?.properties.status;
    expect(await statusOf(1)).toBe('reported'); // now cached
    await db.query("UPDATE garbage_points SET status = 'assigned' WHERE id = 1");
    let seen: unknown;
    for (let i = 0; i < 50 && seen !== 'assigned'; i++) {
      seen = await statusOf(1);
      if (seen !== 'assigned') await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen).toBe('assigned');
    await db.query("UPDATE garbage_points SET status = 'reported' WHERE id = 1");
  });

  it('renders a tile once for requests that come while it is being rendered, again after a write in it, not after a write elsewhere', async () => {
    // The same database, counting the statements that render tiles (a transaction on real
    // PostGIS, a query on the embedded engine); public reads, so no token lookup is counted.
    let renders = 0;
    const counting = new Proxy(db, {
      get(target, key) {
        const v = Reflect.get(target, key);
        if (typeof v !== 'function') return v;
        if (key === 'transaction' || key === 'query') {
          return (...args: unknown[]) => {
            if (key === 'transaction' || /ST_AsGeoJSON|ST_AsMVT/.test(String(args[0]))) renders++;
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return v.bind(target);
      },
    });
    const { buildApp } = await import('../../server/app.js');
    const fresh = await buildApp(counting, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, publicRead: true });
    try {
      const tileUrl = `/api/tiles/garbage_points/14/${tileOf(117.206, 32.949, 14).join('/')}.mvt`;
      const answers = await Promise.all(Array.from({ length: 6 }, () => fresh.inject(tileUrl)));
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(answers.map((r) => r.headers.etag)).size).toBe(1);
      expect(renders).toBe(1);
      // A write elsewhere (another tile, told by the database's notification with its extent)
      // leaves this tile cached; the tile it lands in is rendered again and shows it.
      const farUrl = `/api/tiles/garbage_points/14/${tileOf(117.3, 33.0, 14).join('/')}.mvt`;
      expect((await fresh.inject(farUrl)).statusCode).toBe(204);
      const far = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.3, 33.0), { category: 'bulky' })) });
      let shown = false;
      for (let i = 0; i < 50 && !shown; i++) {
        const r = await fresh.inject(farUrl);
        shown = r.statusCode === 200 && decodeTile(r.rawPayload).garbage_points.features.some((f) => f.id === far.json().id);
        if (!shown) await new Promise((r) => setTimeout(r, 20));
      }
      expect(shown).toBe(true);
      const rendersBefore = renders;
      expect((await fresh.inject(tileUrl)).headers.etag).toBe(answers[0].headers.etag);
      expect(renders).toBe(rendersBefore);
      // A write in this tile drops it: the next request renders it again and sees the write.
      const near = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2062, 32.9492), { category: 'bulky' })) });
      for (let i = 0; i < 50 && !decodeTile((await fresh.inject(tileUrl)).rawPayload).garbage_points.features.some((f) => f.id === near.json().id); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(decodeTile((await fresh.inject(tileUrl)).rawPayload).garbage_points.features.map((f) => f.id)).toContain(near.json().id);
      expect(renders).toBeGreaterThan(rendersBefore);
      for (const id of [far.json().id, near.json().id]) await app.inject({ method: 'DELETE', url: `/api/collections/garbage_points/items/${id}` });
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad tile addresses with 400/404 naming the part', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/tiles/garbage_points/23/0/0.mvt', 400, /z: must be a whole number from 0 to 22/],
      ['/api/tiles/garbage_points/3/8/0.mvt', 400, /x: must be a whole number from 0 to 7/],
      ['/api/tiles/garbage_points/3/0/-1.mvt', 400, /y: must be a whole number/],
      ['/api/tiles/garbage_points/a/0/0.mvt', 400, /z: must be a whole number/],
      ['/api/tiles/nothing/1/0/0.mvt', 404, /no collection "nothing"/],
      ['/api/tiles/..%2F..%2Fetc%2Fpasswd/1/0/0.mvt', 400, /"\.\." segment/],
      ['/api/tiles/garbage_points/1/0/0.png', 404, /no route/],
    ];
    for (const [u, status, message] of cases) {
      const r = await app.inject(u);
      expect(r.statusCode, u).toBe(status);
      expect(r.json().message, u).toMatch(message);
    }
  });
});

describe('TileJSON', () => {
  it('describes the layer, its fields, bounds and tile URL', async () => {
    const tj = (await app.inject('/api/tiles/garbage_points.json')).json();
    expect(tj.tilejson).toBe('3.0.0');
    expect(tj.tiles[0]).toMatch(/\/api\/tiles\/garbage_points\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
    expect(tj.vector_layers[0].id).toBe('garbage_points');
    expect(tj.vector_layers[0].fields).toMatchObject({ status: 'String', volume_t: 'Number' });
    expect(tj.vector_layers[0].fields.point_count).toMatch(/^Number/);
    expect(tj.bounds[0]).toBeCloseTo(117.205, 5);
  });
});
