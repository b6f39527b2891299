import { describe, it, expect } from 'vitest';
import { checkGeometry, MAX_VERTICES } from '../../server/collections/geometry.js';

const ok = (g: unknown, allowed = ['Point', 'LineString', 'Polygon', 'MultiPolygon', 'MultiLineString'] as const) => checkGeometry(g, allowed);

describe('checkGeometry', () => {
  it('accepts valid geometries and drops heights to 2D, saying so', () => {
    expect(ok({ type: 'Point', coordinates: [117.1, 32.9] })).toEqual({ ok: true, geometry: { type: 'Point', coordinates: [117.1, 32.9] } });
    const r = ok({ type: 'LineString', coordinates: [[117, 33, 5], [117.1, 33.1, 6]] });
    expect(r).toMatchObject({ ok: true, geometry: { coordinates: [[117, 33], [117.1, 33.1]] }, dropped: '3D coordinates were dropped to 2D (longitude, latitude)' });
  });

  it.each([
    [null, /geometry is missing/],
    [[1, 2], /must be a GeoJSON geometry object/],
    [{ coordinates: [1, 2] }, /geometry.type is missing/],
    [{ type: 'GeometryCollection', geometries: [] }, /GeometryCollection is not allowed/],
    [{ type: 'Point' }, /coordinates is missing/],
    [{ type: 'Point', coordinates: [] }, /empty Point/],
    [{ type: 'Point', coordinates: [117] }, /needs \[longitude, latitude\]/],
    [{ type: 'Point', coordinates: [1, 2, 3, 4, 5] }, /has 5 numbers/],
    [{ type: 'Point', coordinates: [117, null] }, /finite numbers/],
    [{ type: 'Point', coordinates: [117, '33'] }, /finite numbers/],
    [{ type: 'Point', coordinates: [32.9, 117.1] }, /latitude 117.1, outside -90…90. It looks like latitude and longitude are swapped/],
    [{ type: 'Point', coordinates: [500000, 3640000] }, /longitude 500000, outside -180…180; .*projected metres/],
    [{ type: 'Point', coordinates: [190, 33] }, /longitude 190, outside -180…180/],
    [{ type: 'LineString', coordinates: [[117, 33]] }, /at least 2 different positions/],
    [{ type: 'LineString', coordinates: [] }, /empty/],
    [{ type: 'Polygon', coordinates: [] }, /empty/],
    [{ type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33.1]]] }, /outer ring has 3 positions; a ring needs at least 4/],
    [{ type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33.1], [117, 33.1]]] }, /outer ring is not closed/],
    [{ type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33], [117, 33]]] }, /fewer than 3 different corners/],
    [{ type: 'Polygon', coordinates: [[[117, 33], [117.1, 33], [117.1, 33.1], [117, 33]], [[117, 33], [117.01, 33]]] }, /hole 1 has 2 positions/],
    [{ type: 'MultiPolygon', coordinates: [] }, /is empty/],
    [{ type: 'MultiLineString', coordinates: [[[117, 33]]] }, /at least 2 different positions/],
  ])('refuses %j', (g, message) => {
    const r = ok(g);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(message);
  });

  it('refuses more vertices than the limit without walking them all', () => {
    const coords = Array.from({ length: MAX_VERTICES + 10 }, (_, i) => [117 + i * 1e-7, 33]);
    const r = ok({ type: 'LineString', coordinates: coords });
    expect(r).toEqual({ ok: false, reason: `geometry has more than ${MAX_VERTICES} vertices (setting MAX_VERTICES); simplify it or split it into several features`, code: 'too_many_vertices', params: { max: MAX_VERTICES }, tooLarge: true });
  });

  it('refuses a type the collection does not allow', () => {
    expect(checkGeometry({ type: 'Point', coordinates: [117, 33] }, ['Polygon', 'MultiPolygon'])).toEqual({ ok: false, reason: 'geometry type Point is not allowed here; expected Polygon or MultiPolygon', code: 'geometry_type', params: { type: 'Point' } });
  });
});
