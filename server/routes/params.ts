/**
 * Parsing of query parameters whose rules JSON schema cannot say well (bbox, datetime intervals,
 * feature ids). Each failure is a 400 naming the parameter and what it accepts.
 */
import { invalidParameter, notFound } from '../errors.js';
import type { CollectionDef } from '../collections/registry.js';
import { enumProperties } from '../collections/registry.js';
import type { DatetimeFilter } from '../collections/repository.js';
import { shanghaiToday } from '../collections/properties.js';

export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 10_000;

export function parseBbox(raw: string | undefined): [number, number, number, number] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parts = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  const usage = 'use minLon,minLat,maxLon,maxLat in WGS84 degrees, e.g. 117.0,32.8,117.4,33.1';
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((n) => !Number.isFinite(n))) throw invalidParameter('bbox', usage);
  // A 3D bbox (6 numbers) is minx,miny,minz,maxx,maxy,maxz: heights are ignored.
  const [minx, miny, maxx, maxy] = parts.length === 4 ? parts : [parts[0], parts[1], parts[3], parts[4]];
  if (Math.abs(miny) > 90 || Math.abs(maxy) > 90) throw invalidParameter('bbox', `latitude beyond ±90 (are longitude and latitude swapped?); ${usage}`);
  if (Math.abs(minx) > 180 || Math.abs(maxx) > 180) throw invalidParameter('bbox', `longitude beyond ±180; ${usage}`);
  if (minx > maxx || miny > maxy) throw invalidParameter('bbox', `the minimum is larger than the maximum; ${usage}`);
  return [minx, miny, maxx, maxy];
}

export function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return LIMIT_DEFAULT;
  const n = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalidParameter('limit', `use a whole number from 1 to ${LIMIT_MAX}`);
  // OGC API Features: a limit above the maximum is not an error; the maximum applies.
  return Math.min(n, LIMIT_MAX);
}

export function parseOffset(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const n = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 1e9) throw invalidParameter('offset', 'use a whole number of 0 or more');
  return n;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * OGC datetime: an instant, or an interval a/b with `..` (or empty) for an open end. A bare date
 * means that whole day in Asia/Shanghai. Bounds are converted to the type of the collection's
 * temporal column (a date column compares Shanghai dates).
 */
export function parseDatetime(raw: string | undefined, column: 'date' | 'datetime'): DatetimeFilter | undefined {
  if (raw === undefined || raw === '') return undefined;
  const usage = 'use an RFC 3339 date or date-time, or an interval such as 2026-10-01/2026-10-31 or 2026-10-01T00:00:00+08:00/..';
  const bound = (s: string, end: boolean): string | undefined => {
    if (s === '..' || s === '') return undefined;
    let ms: number;
    if (DATE.test(s)) ms = Date.parse(`${s}T00:00:00+08:00`) + (end ? 86_400_000 - 1 : 0);
    else if (DATETIME.test(s)) ms = Date.parse(s);
    else throw invalidParameter('datetime', `${JSON.stringify(s)} is not a date; ${usage}`);
    if (Number.isNaN(ms)) throw invalidParameter('datetime', `${JSON.stringify(s)} is not a real date; ${usage}`);
    return column === 'date' ? shanghaiToday(new Date(ms)) : new Date(ms).toISOString();
  };
  const parts = raw.split('/');
  if (parts.length > 2) throw invalidParameter('datetime', usage);
  const filter: DatetimeFilter =
    parts.length === 1 ? { start: bound(parts[0], false), end: bound(parts[0], true) } : { start: bound(parts[0], false), end: bound(parts[1], true) };
  if (parts.length === 1 && filter.start === undefined) throw invalidParameter('datetime', usage);
  if (filter.start && filter.end && filter.start > filter.end) throw invalidParameter('datetime', `the interval ends before it starts; ${usage}`);
  return filter;
}

/** Names a collection's items can be filtered by: its enumerations and its known-code property. */
export function filterableProperties(c: CollectionDef): string[] {
  const names = enumProperties(c).map((p) => p.name);
  if (c.knownCodes) names.push(c.knownCodes.property);
  return names;
}

/** Property filters such as ?status=reported,assigned, checked against the registry. */
export function parseFilters(c: CollectionDef, query: Record<string, unknown>, candidates: readonly string[]): Record<string, string[]> {
  const allowed = new Set(filterableProperties(c));
  const out: Record<string, string[]> = {};
  for (const name of candidates) {
    const raw = query[name];
    if (raw === undefined || raw === '') continue;
    if (!allowed.has(name)) {
      throw invalidParameter(name, `${c.id} cannot be filtered by ${name}; it can be filtered by ${[...allowed].join(', ') || 'bbox and datetime only'}`);
    }
    const values = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
    const def = enumProperties(c).find((p) => p.name === name);
    if (def) {
      const bad = values.filter((v) => !def.values.includes(v));
      if (bad.length) throw invalidParameter(name, `${bad.join(', ')} is not a ${name} of ${c.id}; use ${def.values.join(', ')}`);
    }
    out[name] = values;
  }
  return out;
}

/** Feature ids are positive whole numbers; anything else cannot name a feature. */
export function parseFeatureId(c: CollectionDef, raw: string): number {
  const n = /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound(`no feature ${JSON.stringify(raw.slice(0, 40))} in ${c.id}: feature ids are whole numbers`);
  return n;
}

/** The filters shared by items and tiles: datetime on the temporal property and enum properties. */
export function parseFeatureFilters(c: CollectionDef, query: Record<string, unknown>, candidates: readonly string[]): { datetime?: DatetimeFilter; filters: Record<string, string[]> } {
  const temporalType = c.properties.find((p) => p.name === c.temporal)?.type === 'date' ? 'date' : 'datetime';
  return {
    datetime: parseDatetime(query.datetime as string | undefined, temporalType),
    filters: parseFilters(c, query, candidates),
  };
}
