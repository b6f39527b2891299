import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json, feature, line, point, square } from '../helpers/app.js';

let app: FastifyInstance;

beforeAll(async () => {
  ({ app } = await testApp());
});
afterAll(async () => {
  await app.close();
});

const road = (code: string, coords: unknown[][], extra: Record<string, unknown> = {}) =>
  feature(line(coords), { code, name: `${code}路`, class: 'township', width_m: 6, ...extra });

describe('OGC API – Features core', () => {
  it('serves landing page, conformance and the collections with extents', async () => {
    const landing = (await app.inject('/api')).json();
    expect(landing.links.map((l: { rel: string }) => l.rel)).toEqual(expect.arrayContaining(['self', 'service-desc', 'conformance', 'data']));
    const conf = (await app.inject('/api/conformance')).json();
    expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson');
    expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete');
    await app.inject({ method: 'POST', url: '/api/collections/roads/items', ...json(road('Y001', [[117.1, 32.9], [117.2, 32.95]])) });
    const cols = (await app.inject('/api/collections')).json();
    expect(cols.collections.map((c: { id: string }) => c.id)).toEqual([
      'roads', 'villages', 'waterways', 'garbage_points', 'sanitation_facilities', 'afforestation_plots', 'demolition_sites', 'patrols', 'findings',
    ]);
    const roads = cols.collections[0];
    expect(roads.extent.spatial.bbox[0]).toEqual([117.1, 32.9, 117.2, 32.95]);
    expect(roads.links.find((l: { rel: string }) => l.rel === 'items').href).toMatch(/\/api\/collections\/roads\/items$/);
    const openapi = (await app.inject('/api/openapi.json')).json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toContain('/api/collections/{collectionId}/items');
  });

  it('pages items with numberMatched, numberReturned and next/prev links', async () => {
    await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...json({
      type: 'FeatureCollection',
      features: Array.from({ length: 25 }, (_, i) => feature(point(117 + i * 0.01, 32.9), { category: 'domestic', status: i % 2 ? 'cleared' : 'reported', reported_at: `2026-10-${String(i + 1).padStart(2, '0')}T10:00:00+08:00`, cleared_at: i % 2 ? '2026-11-01T00:00:00Z' : null })),
    }) });
    const first = await app.inject('/api/collections/garbage_points/items?limit=10');
    expect(first.headers['content-type']).toMatch(/application\/geo\+json/);
    const page = first.json();
    expect(page.numberMatched).toBe(25);
    expect(page.numberReturned).toBe(10);
    const next = page.links.find((l: { rel: string }) => l.rel === 'next');
    expect(next.href).toContain('offset=10');
    expect(page.links.find((l: { rel: string }) => l.rel === 'prev')).toBeUndefined();
    const last = (await app.inject(new URL(next.href).pathname + '?limit=10&offset=20')).json();
    expect(last.numberReturned).toBe(5);
    expect(last.links.find((l: { rel: string }) => l.rel === 'next')).toBeUndefined();
    expect(last.links.find((l: { rel: string }) => l.rel === 'prev').href).toContain('offset=10');
    // ids are in order, properties carry the registry's names and the timestamps
    expect(page.features[0].id).toBe(1);
    expect(Object.keys(page.features[0].properties)).toEqual(['category', 'status', 'volume_t', 'description', 'reported_at', 'cleared_at', 'source', 'created_at', 'updated_at']);
  });

  it('filters by bbox, datetime and enum properties together with the count', async () => {
    const bbox = (await app.inject('/api/collections/garbage_points/items?bbox=117.045,32.8,117.095,33')).json();
    expect(bbox.features.map((f: { id: number }) => f.id)).toEqual([6, 7, 8, 9, 10]);
    const status = (await app.inject('/api/collections/garbage_points/items?status=cleared')).json();
    expect(status.numberMatched).toBe(12);
    const both = (await app.inject('/api/collections/garbage_points/items?status=reported,assigned&bbox=117.045,32.8,117.095,33')).json();
    expect(both.features.map((f: { id: number }) => f.id)).toEqual([7, 9]);
    // a bare date is that whole day in Asia/Shanghai; intervals are inclusive; open ends with ..
    const day = (await app.inject('/api/collections/garbage_points/items?datetime=2026-10-05')).json();
    expect(day.features.map((f: { id: number }) => f.id)).toEqual([5]);
    const interval = (await app.inject('/api/collections/garbage_points/items?datetime=2026-10-20/..')).json();
    expect(interval.numberMatched).toBe(6);
    const closed = (await app.inject('/api/collections/garbage_points/items?datetime=2026-10-01T02:00:00Z/2026-10-03T02:00:00Z')).json();
    expect(closed.features.map((f: { id: number }) => f.id)).toEqual([1, 2, 3]);
  });

  it('gets one item with links and an ETag, and 404s for unknown ids', async () => {
    const r = await app.inject('/api/collections/garbage_points/items/3');
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBeTruthy();
    expect(r.json().links[0].rel).toBe('self');
    for (const id of ['999999', 'abc', '1;DROP TABLE roads', '0', '-1', '1.5']) {
      const miss = await app.inject(`/api/collections/garbage_points/items/${encodeURIComponent(id)}`);
      expect(miss.statusCode).toBe(404);
      expect(miss.json().error).toBe('not_found');
    }
  });
});

describe('OGC API – Features part 4 writes', () => {
  it('creates with 201 and Location, defaults filled, 3D dropped and said', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/collections/demolition_sites/items', ...json(feature({ type: 'Point', coordinates: [117.2, 32.9, 15.5] }, { kind: 'pig_pen' })) });
    expect(r.statusCode).toBe(201);
    const f = r.json();
    expect(r.headers.location).toMatch(new RegExp(`/api/collections/demolition_sites/items/${f.id}$`));
    expect(f.geometry.coordinates).toEqual([117.2, 32.9]);
    expect(f.properties.status).toBe('identified');
    expect(f.properties.identified_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(f.warnings[0]).toMatch(/3D coordinates were dropped to 2D/);
  });

  it('replaces with PUT, merges with PATCH (merge-patch+json), deletes with DELETE', async () => {
    const created = (await app.inject({ method: 'POST', url: '/api/collections/afforestation_plots/items', ...json(feature(square(117.3, 33), { plot_code: 'ZL-1', year: 2026, planned_mu: 20, species: '石榴' })) })).json();
    const url = `/api/collections/afforestation_plots/items/${created.id}`;
    const put = await app.inject({ method: 'PUT', url, ...json(feature(square(117.31, 33), { plot_code: 'ZL-1b', year: 2025, planned_mu: 21 })) });
    expect(put.statusCode).toBe(200);
    expect(put.json().properties).toMatchObject({ plot_code: 'ZL-1b', year: 2025, species: null, planted_mu: 0, status: 'planned' });
    const patch = await app.inject({ method: 'PATCH', url, headers: { 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ properties: { planted_mu: 10.5, status: 'in_progress', species: '女贞' } }) });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().properties).toMatchObject({ plot_code: 'ZL-1b', planted_mu: 10.5, status: 'in_progress', species: '女贞' });
    expect(patch.json().geometry.coordinates[0][0]).toEqual([117.31, 33]);
    const clear = (await app.inject({ method: 'PATCH', url, ...json({ properties: { species: null } }) })).json();
    expect(clear.properties.species).toBeNull();
    expect(new Date(clear.properties.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(clear.properties.created_at).getTime());
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await app.inject(url)).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(404);
  });

  it('a PATCH that breaks a rule across two properties is refused by the database with the field named', async () => {
    const created = (await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature(point(117.2, 32.95), { category: 'domestic', reported_at: '2026-10-05T08:00:00+08:00' })) })).json();
    const url = `/api/collections/garbage_points/items/${created.id}`;
    const r = await app.inject({ method: 'PATCH', url, ...json({ properties: { cleared_at: '2026-10-01T08:00:00+08:00' } }) });
    expect(r.statusCode).toBe(422);
    expect(r.json().message).toBe('cleared_at is before reported_at; a point is cleared after it was reported');
    // The detail's code lets the client say it next to the field in Chinese (lib/reasons.ts).
    expect(r.json().details).toEqual([{ property: 'cleared_at', reason: r.json().message, code: 'order', params: { after: 'reported_at' } }]);
    expect((await app.inject(url)).json().properties.cleared_at).toBeNull();
  });

  it('refuses bad writes with 4xx saying what to fix, and writes nothing', async () => {
    const before = (await app.inject('/api/collections/roads/items')).json().numberMatched;
    const cases: [unknown, number, RegExp][] = [
      [feature(point(117, 33), { code: 'X', name: 'x', class: 'county' }), 422, /geometry type Point is not allowed here; expected LineString or MultiLineString/],
      [road('Y9', [[117, 33], [117.1, 33.1]], { class: 'highway' }), 422, /class is "highway"; use one of national/],
      [road('Y9', [[117, 33], [117.1, 33.1]], { name: null }), 422, /name is required/],
      [road('Y9', [[117, 33], [117.1, 33.1]], { width_m: -3 }), 422, /width_m is -3 m; it must be between 0.5 and 200 m/],
      [road('Y9', [[117, 33], [117.1, 33.1]], { stauts: 1 }), 422, /unknown property stauts/],
      [road('Y9', [[33, 117], [33.1, 117.1]]), 422, /latitude 117.*swapped/],
      [road('Y9', [[117, 33], [181, 33.1]]), 422, /longitude 181, outside/],
      [road('Y9', [[117, 33], [117, 33]]), 422, /at least 2 different positions/],
      [road('Y9', []), 422, /empty/],
      [road('Y9', [[117, 33], ['a', 33.1]]), 422, /must be finite numbers/],
      [road('Y9', [[117, 33], [117.1]]), 422, /needs \[longitude, latitude\]/],
      [{ type: 'Feature', properties: { code: 'a', name: 'b', class: 'county' } }, 422, /geometry is missing/],
      [{ type: 'FeatureCollection', features: [] }, 422, /type must be "Feature"/],
      ['just text', 422, /not a GeoJSON Feature/],
    ];
    for (const [body, status, message] of cases) {
      const r = await app.inject({ method: 'POST', url: '/api/collections/roads/items', ...json(body) });
      expect(r.statusCode, JSON.stringify(body)).toBe(status);
      expect(r.json().message).toMatch(message);
      expect(r.json().error).toBe('invalid_feature');
    }
    const bad = await app.inject({ method: 'POST', url: '/api/collections/roads/items', headers: { 'content-type': 'application/json' }, payload: '{"type": "Feature",' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_json');
    const text = await app.inject({ method: 'POST', url: '/api/collections/roads/items', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/api/collections/rivers/items', ...json(road('a', [[117, 33], [117.1, 33]])) })).statusCode).toBe(404);
    expect((await app.inject('/api/collections/roads/items')).json().numberMatched).toBe(before);
  });

  it('refuses unclosed and self-intersecting rings, naming the place', async () => {
    const open = feature({ type: 'Polygon', coordinates: [[[117, 33], [117.01, 33], [117.01, 33.01], [117, 33.01]]] }, { name: '杨圩村', township: '包集镇' });
    const r1 = await app.inject({ method: 'POST', url: '/api/collections/villages/items', ...json(open) });
    expect(r1.statusCode).toBe(422);
    expect(r1.json().message).toMatch(/outer ring has 4 positions|is not closed/);
    const bowtie = feature({ type: 'Polygon', coordinates: [[[117, 33], [117.01, 33.01], [117.01, 33], [117, 33.01], [117, 33]]] }, { name: '杨圩村', township: '包集镇' });
    const r2 = await app.inject({ method: 'POST', url: '/api/collections/villages/items', ...json(bowtie) });
    expect(r2.statusCode).toBe(422);
    expect(r2.json().message).toMatch(/Self-intersection near 117.005000, 33.005000.*edges of the polygon cross/);
    const patch = await app.inject({ method: 'POST', url: '/api/collections/villages/items', ...json(feature(square(117, 33), { name: '大观村', township: '包集镇' })) });
    const id = patch.json().id;
    const r3 = await app.inject({ method: 'PATCH', url: `/api/collections/villages/items/${id}`, ...json({ geometry: bowtie.geometry }) });
    expect(r3.statusCode).toBe(422);
    expect((await app.inject(`/api/collections/villages/items/${id}`)).json().geometry).toEqual(square(117, 33));
  });

  it('refuses unknown query parameters and bad filter values with 400 naming them', async () => {
    const cases: [string, RegExp][] = [
      ['/api/collections/roads/items?foo=1', /unknown query parameter foo/],
      ['/api/collections/roads/items?status=cleared', /roads cannot be filtered by status; it can be filtered by class/],
      ['/api/collections/garbage_points/items?status=lost', /lost is not a status of garbage_points/],
      ['/api/collections/roads/items?bbox=1,2,3', /bbox: use minLon,minLat,maxLon,maxLat/],
      ['/api/collections/roads/items?bbox=32,117,33,118', /latitude beyond ±90/],
      ['/api/collections/roads/items?bbox=118,32,117,33', /minimum is larger than the maximum/],
      ['/api/collections/roads/items?limit=0', /limit: use a whole number from 1 to 10000/],
      ['/api/collections/roads/items?limit=ten', /limit/],
      ['/api/collections/roads/items?offset=-5', /offset/],
      ['/api/collections/roads/items?datetime=yesterday', /datetime: "yesterday" is not a date/],
      ['/api/collections/roads/items?datetime=2026-10-05/2026-10-01', /ends before it starts/],
      ["/api/collections/garbage_points/items?status=reported'%20OR%201=1--", /is not a status of garbage_points/],
      ["/api/collections/roads/items?bbox=1,2,3,4);DROP%20TABLE%20roads;--", /bbox/],
    ];
    for (const [url, message] of cases) {
      const r = await app.inject(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error).toBe('invalid_parameter');
      expect(r.json().message, url).toMatch(message);
    }
    // a limit above the maximum is not an error (OGC): the maximum applies
    expect((await app.inject('/api/collections/roads/items?limit=50000')).json().links[0].href).toContain('limit=50000');
    expect((await app.inject('/api/collections/roads/items?limit=50000')).statusCode).toBe(200);
  });
});
