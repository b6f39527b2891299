/**
 * Bad geometries on every route that writes one: POST an item, PUT it, PATCH it, and bulk import.
 * Each is refused with a 4xx that names the problem, and nothing is written. Geometries are JSON
 * text so that 1e999 (what a client's Infinity becomes) reaches the server as it would.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../server/db/index.js';
import { testApp, json, feature, point, square, line } from '../../helpers/app.js';
import { refusedWithoutWrite } from './refusal.js';

let app: FastifyInstance;
let db: Db;

/** A valid feature of each collection used here, and the id of one stored already. */
const valid = {
  garbage_points: { properties: { category: 'domestic' }, geometry: point(117.2, 32.95) },
  afforestation_plots: { properties: { plot_code: 'XB-1', year: 2025, planned_mu: 10 }, geometry: square(117.2, 32.95) },
  roads: { properties: { code: 'X999', name: '测试路', class: 'county' }, geometry: line([[117.2, 32.95], [117.21, 32.96]]) },
} as const;
type Target = keyof typeof valid;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ({ app, db } = await testApp());
  for (const [c, f] of Object.entries(valid)) {
    const r = await app.inject({ method: 'POST', url: `/api/collections/${c}/items`, ...json(feature(f.geometry, f.properties)) });
    expect(r.statusCode, r.body).toBe(201);
    ids[c] = r.json().id;
  }
});
afterAll(() => app?.close());

const send = (payload: string) => ({ headers: { 'content-type': 'application/json' }, payload });
const featureText = (c: Target, geometry: string) => `{"type":"Feature","properties":${JSON.stringify(valid[c].properties)},"geometry":${geometry}}`;

/** The four ways a geometry gets in; each answers the refusal that route gives. */
const ROUTES = {
  post: (c: Target, g: string) => ({ method: 'POST' as const, url: `/api/collections/${c}/items`, ...send(featureText(c, g)) }),
  put: (c: Target, g: string) => ({ method: 'PUT' as const, url: `/api/collections/${c}/items/${ids[c]}`, ...send(featureText(c, g)) }),
  patch: (c: Target, g: string) => ({ method: 'PATCH' as const, url: `/api/collections/${c}/items/${ids[c]}`, ...send(`{"geometry":${g}}`) }),
  import: (c: Target, g: string) => ({ method: 'POST' as const, url: `/api/import/${c}`, ...send(`{"type":"FeatureCollection","features":[${featureText(c, JSON.stringify(valid[c].geometry))},${featureText(c, g)}]}`) }),
};

// code: what a client says the reason by in its own language (server/collections/reasons.ts).
const CASES: { name: string; collection: Target; geometry: string; reason: RegExp; code: string }[] = [
  { name: 'a self-intersecting polygon (bow tie)', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.21,32.96],[117.21,32.95],[117.2,32.96],[117.2,32.95]]]}', reason: /Self-intersection.*edges of the polygon cross/, code: 'topology' },
  { name: 'a hole outside its polygon', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.201,32.95],[117.201,32.951],[117.2,32.951],[117.2,32.95]],[[117.3,32.95],[117.301,32.95],[117.301,32.951],[117.3,32.95]]]}', reason: /Hole lies outside shell/, code: 'topology' },
  { name: 'an unclosed ring', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.21,32.95],[117.21,32.96],[117.2,32.96]]]}', reason: /outer ring is not closed: its last position must repeat its first/, code: 'ring_not_closed' },
  { name: 'a ring of three positions', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.21,32.95],[117.2,32.95]]]}', reason: /has 3 positions; a ring needs at least 4/, code: 'ring_too_few' },
  { name: 'a polygon with no rings', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[]}', reason: /empty geometry/, code: 'empty' },
  { name: 'Infinity (1e999 in JSON)', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":[1e999,32.95]}', reason: /contains Infinity; coordinates must be finite numbers/, code: 'not_finite' },
  { name: '-Infinity (-1e999) inside a ring', collection: 'afforestation_plots', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.21,-1e999],[117.21,32.96],[117.2,32.95]]]}', reason: /contains -Infinity/, code: 'not_finite' },
  { name: 'coordinates as strings', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":["117.2","32.95"]}', reason: /contains "117.2"; coordinates must be finite numbers/, code: 'not_finite' },
  { name: 'a null coordinate', collection: 'roads', geometry: '{"type":"LineString","coordinates":[[117.2,32.95],[null,32.96]]}', reason: /coordinates\[1\] contains null/, code: 'not_finite' },
  { name: 'a position with one number', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":[117.2]}', reason: /a position needs \[longitude, latitude\]/, code: 'geometry_shape' },
  { name: 'a position with five numbers', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":[117.2,32.95,10,0,1]}', reason: /has 5 numbers/, code: 'geometry_shape' },
  { name: 'latitude over 90', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":[117.2,91]}', reason: /latitude 91, outside -90…90/, code: 'latitude' },
  { name: 'swapped axes (latitude first)', collection: 'roads', geometry: '{"type":"LineString","coordinates":[[32.95,117.2],[32.96,117.21]]}', reason: /latitude and longitude are swapped/, code: 'swapped' },
  { name: 'longitude over 180 (projected metres)', collection: 'garbage_points', geometry: '{"type":"Point","coordinates":[39512345.5,3651234.2]}', reason: /longitude 39512345.5, outside -180…180/, code: 'longitude' },
  { name: 'a line of one distinct position', collection: 'roads', geometry: '{"type":"LineString","coordinates":[[117.2,32.95],[117.2,32.95]]}', reason: /at least 2 different positions/, code: 'line_too_short' },
  { name: 'a geometry type the layer does not take', collection: 'garbage_points', geometry: '{"type":"Polygon","coordinates":[[[117.2,32.95],[117.21,32.95],[117.21,32.96],[117.2,32.95]]]}', reason: /geometry type Polygon is not allowed here; expected Point/, code: 'geometry_type' },
  { name: 'an unknown geometry type', collection: 'garbage_points', geometry: '{"type":"Circle","coordinates":[117.2,32.95]}', reason: /geometry type Circle is not allowed/, code: 'geometry_type' },
  { name: 'a geometry that is a string', collection: 'garbage_points', geometry: '"POINT(117.2 32.95)"', reason: /geometry must be a GeoJSON geometry object/, code: 'geometry_shape' },
  { name: 'coordinates missing', collection: 'garbage_points', geometry: '{"type":"Point"}', reason: /geometry.coordinates is missing/, code: 'geometry_shape' },
  { name: 'coordinates that are not arrays', collection: 'roads', geometry: '{"type":"MultiLineString","coordinates":{"a":1}}', reason: /coordinates must be an array/, code: 'geometry_shape' },
];

describe('bad geometries are refused on every write route, and nothing is written', () => {
  for (const k of CASES) {
    it(k.name, async () => {
      for (const [route, request] of Object.entries(ROUTES)) {
        const body = await refusedWithoutWrite(app, db, request(k.collection, k.geometry), 422);
        const reasons = (body.details as { reason: string }[]).map((d) => d.reason).join('; ');
        expect(`${body.message} ${reasons}`, `${route}: ${body.message}`).toMatch(k.reason);
        const geometryDetail = expect.objectContaining({ property: 'geometry', code: k.code });
        if (route === 'import') {
          // Every bad feature is listed by its index; the good one before it was not written either.
          expect(body.details).toEqual([expect.objectContaining({ index: 1, errors: [geometryDetail] })]);
        } else {
          expect(body.details, route).toEqual(expect.arrayContaining([geometryDetail]));
        }
      }
    });
  }

  it('a missing geometry and geometry: null (PATCH cannot remove one)', async () => {
    await refusedWithoutWrite(app, db, { method: 'POST', url: '/api/collections/garbage_points/items', ...json({ type: 'Feature', properties: { category: 'domestic' } }) }, 422, /geometry is missing; expected Point/);
    await refusedWithoutWrite(app, db, { method: 'PATCH', url: `/api/collections/garbage_points/items/${ids.garbage_points}`, ...json({ geometry: null }) }, 422, /geometry cannot be removed/);
  });
});

describe('3D and 4D coordinates', () => {
  // Decision: heights (and measures) are dropped, never refused: GPS receivers and CAD exports
  // add them, and the map and every analysis are 2D. The response says so per feature.
  it('are dropped to 2D and the response says so, on items and on import', async () => {
    const r3 = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json(feature({ type: 'Point', coordinates: [117.2, 32.95, 21.5] }, { category: 'domestic' })) });
    expect(r3.statusCode).toBe(201);
    expect(r3.json().geometry.coordinates).toEqual([117.2, 32.95]);
    expect(r3.json().warnings).toEqual(['3D coordinates were dropped to 2D (longitude, latitude)']);
    const r4 = await app.inject({ method: 'PATCH', url: `/api/collections/roads/items/${ids.roads}`, ...json({ geometry: { type: 'LineString', coordinates: [[117.2, 32.95, 1, 0], [117.21, 32.96, 2, 5]] } }) });
    expect(r4.statusCode).toBe(200);
    expect(r4.json().geometry.coordinates).toEqual([[117.2, 32.95], [117.21, 32.96]]);
    expect(r4.json().warnings).toEqual(['4D coordinates were dropped to 2D (longitude, latitude)']);
  });
});
