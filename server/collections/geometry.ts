/**
 * Structural checks of a GeoJSON geometry, in one place for every route that writes one.
 * What GEOS knows better (self-intersection, ring topology) is checked afterwards in SQL
 * (server/sql/geometry_validity.sql); what is checked here is what must not reach the database.
 */
import type { GeometryType } from './registry.js';
import { DEFAULT_LIMITS } from '../limits.js';
import type { ReasonCode, ReasonParams } from './reasons.js';

export const MAX_VERTICES = DEFAULT_LIMITS.maxVertices;

export interface Geometry {
  type: GeometryType;
  coordinates: unknown;
}

export type GeometryCheck =
  | { ok: true; geometry: Geometry; /** set when 3D/4D coordinates were dropped to 2D */ dropped?: string }
  | {
    ok: false; reason: string; code: ReasonCode; params?: ReasonParams;
    /** set when the geometry is over a size limit (413 on item routes) */ tooLarge?: true;
  };

type Position = [number, number];

/** `at` in params is the place in the coordinates ("coordinates[0] outer ring[3]"). */
class GeometryError extends Error {
  constructor(message: string, readonly code: ReasonCode, readonly params?: ReasonParams) {
    super(message);
  }
}
class TooLarge extends GeometryError {}

interface Walk {
  vertices: number;
  extraDims: number;
  maxVertices: number;
}

function position(p: unknown, where: string, walk: Walk): Position {
  if (!Array.isArray(p)) throw new GeometryError(`${where} is not a position [longitude, latitude]`, 'geometry_shape', { at: where });
  if (p.length < 2) throw new GeometryError(`${where} has ${p.length} number(s); a position needs [longitude, latitude]`, 'geometry_shape', { at: where });
  if (p.length > 4) throw new GeometryError(`${where} has ${p.length} numbers; a position has 2 (or 3–4 with height and measure)`, 'geometry_shape', { at: where });
  for (const v of p) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      // String(): JSON.stringify would print Infinity (1e999 in JSON) and NaN as null.
      const shown = typeof v === 'number' ? String(v) : JSON.stringify(v)?.slice(0, 40) ?? String(v);
      throw new GeometryError(`${where} contains ${shown}; coordinates must be finite numbers`, 'not_finite', { at: where, value: shown });
    }
  }
  const [lon, lat] = p as number[];
  // Longitude first: with both out of range the numbers are projected metres, not swapped axes.
  if (Math.abs(lon) > 180) {
    throw new GeometryError(`${where} has longitude ${lon}, outside -180…180; coordinates must be WGS84 degrees (projected metres need a crs on import)`, 'longitude', { at: where, value: lon });
  }
  if (Math.abs(lat) > 90) {
    const swapped = Math.abs(lon) <= 90;
    const hint = swapped ? ' It looks like latitude and longitude are swapped: GeoJSON order is [longitude, latitude].' : '';
    throw new GeometryError(`${where} has latitude ${lat}, outside -90…90.${hint}`, swapped ? 'swapped' : 'latitude', { at: where, value: lat });
  }
  if (p.length > 2) walk.extraDims = Math.max(walk.extraDims, p.length);
  walk.vertices++;
  // Counted while walking, so a million-vertex polygon is refused after the first 100,001.
  if (walk.vertices > walk.maxVertices) throw new TooLarge(`geometry has more than ${walk.maxVertices} vertices (setting MAX_VERTICES); simplify it or split it into several features`, 'too_many_vertices', { max: walk.maxVertices });
  return [lon, lat];
}

function positions(a: unknown, where: string, walk: Walk): Position[] {
  if (!Array.isArray(a)) throw new GeometryError(`${where} must be an array of positions`, 'geometry_shape', { at: where });
  return a.map((p, i) => position(p, `${where}[${i}]`, walk));
}

function distinctCount(ps: Position[]): number {
  return new Set(ps.map((p) => `${p[0]},${p[1]}`)).size;
}

function lineString(a: unknown, where: string, walk: Walk): Position[] {
  const ps = positions(a, where, walk);
  if (ps.length < 2 || distinctCount(ps) < 2) throw new GeometryError(`${where}: a line needs at least 2 different positions`, 'line_too_short', { at: where });
  return ps;
}

function polygon(a: unknown, where: string, walk: Walk): Position[][] {
  if (!Array.isArray(a) || a.length === 0) throw new GeometryError(`${where}: a polygon needs at least one ring (an array of positions)`, 'geometry_shape', { at: where });
  return a.map((ring, r) => {
    const name = r === 0 ? `${where} outer ring` : `${where} hole ${r}`;
    const ps = positions(ring, name, walk);
    if (ps.length < 4) throw new GeometryError(`${name} has ${ps.length} positions; a ring needs at least 4 (3 corners and the first repeated at the end)`, 'ring_too_few', { at: name, count: ps.length });
    const [first, last] = [ps[0], ps[ps.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      throw new GeometryError(`${name} is not closed: its last position must repeat its first [${first.join(', ')}]`, 'ring_not_closed', { at: name, first: first.join(', ') });
    }
    if (distinctCount(ps) < 3) throw new GeometryError(`${name} has fewer than 3 different corners and encloses no area`, 'ring_degenerate', { at: name });
    return ps;
  });
}

function nonEmpty<T>(a: unknown, where: string, each: (x: unknown, w: string) => T): T[] {
  if (!Array.isArray(a)) throw new GeometryError(`${where} must be an array`, 'geometry_shape', { at: where });
  if (a.length === 0) throw new GeometryError(`${where} is empty; an empty geometry cannot be placed on the map`, 'empty', { at: where });
  return a.map((x, i) => each(x, `${where}[${i}]`));
}

/** Checks a GeoJSON geometry against the types a collection allows; returns it in 2D. */
export function checkGeometry(g: unknown, allowed: readonly GeometryType[], maxVertices = MAX_VERTICES): GeometryCheck {
  if (g === null || g === undefined) return { ok: false, reason: `geometry is missing; expected ${allowed.join(' or ')}`, code: 'geometry_missing' };
  if (typeof g !== 'object' || Array.isArray(g)) return { ok: false, reason: 'geometry must be a GeoJSON geometry object', code: 'geometry_shape', params: { at: 'geometry' } };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string') return { ok: false, reason: 'geometry.type is missing', code: 'geometry_shape', params: { at: 'geometry.type' } };
  if (!allowed.includes(type as GeometryType)) {
    return { ok: false, reason: `geometry type ${type} is not allowed here; expected ${allowed.join(' or ')}`, code: 'geometry_type', params: { type: type.slice(0, 40) } };
  }
  if (coordinates === undefined) return { ok: false, reason: 'geometry.coordinates is missing', code: 'geometry_shape', params: { at: 'geometry.coordinates' } };
  const walk: Walk = { vertices: 0, extraDims: 0, maxVertices };
  try {
    let coords: unknown;
    switch (type as GeometryType) {
      case 'Point':
        if (Array.isArray(coordinates) && coordinates.length === 0) throw new GeometryError('geometry is an empty Point; an empty geometry cannot be placed on the map', 'empty', { at: 'coordinates' });
        coords = position(coordinates, 'coordinates', walk);
        break;
      case 'LineString':
        if (Array.isArray(coordinates) && coordinates.length === 0) throw new GeometryError('coordinates is empty; an empty geometry cannot be placed on the map', 'empty', { at: 'coordinates' });
        coords = lineString(coordinates, 'coordinates', walk);
        break;
      case 'MultiLineString':
        coords = nonEmpty(coordinates, 'coordinates', (x, w) => lineString(x, w, walk));
        break;
      case 'Polygon':
        if (Array.isArray(coordinates) && coordinates.length === 0) throw new GeometryError('coordinates is empty; an empty geometry cannot be placed on the map', 'empty', { at: 'coordinates' });
        coords = polygon(coordinates, 'coordinates', walk);
        break;
      case 'MultiPolygon':
        coords = nonEmpty(coordinates, 'coordinates', (x, w) => polygon(x, w, walk));
        break;
    }
    const geometry = { type: type as GeometryType, coordinates: coords };
    if (walk.extraDims > 2) {
      return { ok: true, geometry, dropped: `${walk.extraDims}D coordinates were dropped to 2D (longitude, latitude)` };
    }
    return { ok: true, geometry };
  } catch (e) {
    if (e instanceof TooLarge) return { ok: false, reason: e.message, code: e.code, params: e.params, tooLarge: true };
    if (e instanceof GeometryError) return { ok: false, reason: e.message, code: e.code, params: e.params };
    throw e;
  }
}

/** True for geometry types whose validity GEOS must confirm (rings may self-intersect). */
export function needsTopologyCheck(type: GeometryType): boolean {
  return type === 'Polygon' || type === 'MultiPolygon';
}
