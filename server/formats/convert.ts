/**
 * From a read file to the features the import path takes: coordinates to WGS84 (the file's CRS,
 * or the `crs` parameter, or GCJ-02 undone), source fields mapped to the collection's properties
 * (`mapping`, else by name, Chinese label or the 10-character Shapefile name), enumeration labels
 * to their codes. Offset (GCJ-02) or projected coordinates never leave this module.
 */
import gcoord from 'gcoord';
import { badFile, badRequest } from '../errors.js';
import type { CollectionDef, PropertyDef } from '../collections/registry.js';
import { shanghaiToday, type FieldError } from '../collections/properties.js';
import { CoordinateError, crsOfEpsg, toWgs84, transformGeometry, WGS84, type Crs, type Transform } from './crs.js';
import type { ReadResult, SourceFeature } from './read.js';

export type CrsParam = Crs | 'gcj02' | undefined;

export interface Converted {
  features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[];
  /** Rows whose geometry could not be read at all, by feature index. */
  geometryErrors: Map<number, FieldError>;
  crs: string;
  mapping: Record<string, string>;
  warnings: string[];
}

export const gcj02ToWgs84: Transform = (p) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.GCJ02, gcoord.WGS84) as number[];

/** `mapping` parameter: JSON object collection property → source field. */
export function parseMapping(raw: string | undefined, c: CollectionDef): Record<string, string> {
  if (!raw) return {};
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    throw badRequest('mapping must be JSON such as {"name": "MC", "code": "DM"} (collection property → source field)');
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw badRequest('mapping must be a JSON object: collection property → source field');
  const names = new Set(c.properties.map((p) => p.name));
  for (const [k, v] of Object.entries(m)) {
    if (!names.has(k)) throw badRequest(`mapping names ${k}, which is not a property of ${c.id}; its properties are ${[...names].join(', ')}`);
    if (typeof v !== 'string' || !v) throw badRequest(`mapping.${k} must name a source field (text)`);
  }
  return m as Record<string, string>;
}

/** The field a property is read from when the mapping does not say: same name, label or dBASE name. */
/**
 * Source fields that mean a property although named otherwise: a GPX track's `time` (its first
 * point's time) is the day and start of a patrol.
 */
const KNOWN_FIELDS: Record<string, Record<string, readonly string[]>> = {
  patrols: { patrolled_on: ['time'], started_at: ['time'] },
};

function autoField(c: CollectionDef, p: PropertyDef, fields: string[]): string | undefined {
  const lower = new Map(fields.map((f) => [f.toLowerCase(), f]));
  return lower.get(p.name.toLowerCase()) ?? lower.get(p.label.zh.toLowerCase()) ?? lower.get(p.label.en.toLowerCase())
    ?? (p.name.length > 10 ? lower.get(p.name.slice(0, 10).toLowerCase()) : undefined)
    ?? KNOWN_FIELDS[c.id]?.[p.name]?.map((f) => lower.get(f)).find((f) => f !== undefined);
}

/**
 * Values as files carry them, made fit for the property: a date-time (a GPX track's time, an
 * Excel date) for a date property is its calendar day in Asia/Shanghai; an enumeration value given
 * by its label is its code.
 */
function fitValue(p: PropertyDef, v: unknown): unknown {
  if (v instanceof Date) v = v.toISOString();
  if (p.type === 'date' && typeof v === 'string' && /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(v)) {
    const t = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(v) ? v.replace(' ', 'T') : `${v.replace(' ', 'T')}+08:00`);
    if (!Number.isNaN(t)) return shanghaiToday(new Date(t));
  }
  return enumCode(p, v);
}

function enumCode(p: PropertyDef, v: unknown): unknown {
  if (p.type !== 'enum' || typeof v !== 'string' || p.values.includes(v)) return v;
  const t = v.trim();
  for (const code of p.values) {
    const l = p.valueLabels[code];
    if (l.zh === t || l.en.toLowerCase() === t.toLowerCase()) return code;
  }
  return v;
}

function looksGeographic(features: SourceFeature[]): boolean {
  let seen = 0;
  for (const f of features) {
    if (!f?.geometry || !(f.geometry as { coordinates?: unknown }).coordinates) continue;
    let c: unknown = f.geometry.coordinates;
    while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
    const p = c as number[];
    if (!Array.isArray(p) || typeof p[0] !== 'number') continue;
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) return false;
    if (++seen >= 100) break;
  }
  return true;
}

function firstEasting(features: SourceFeature[]): number | undefined {
  for (const f of features) {
    if (f.geometry?.type === 'Point') return (f.geometry.coordinates as number[])[0];
  }
  return undefined;
}

/** How a file's features become the collection's: the transform to WGS84 and the field mapping. */
export interface Conversion {
  transform: Transform;
  crs: string;
  mapping: Record<string, string>;
  warnings: string[];
  defs: Map<string, PropertyDef>;
  used: Set<string>;
}

/** Decides the coordinate system (parameter, file, or guessed from the sample) and the mapping. */
export function planConversion(read: Omit<ReadResult, 'features'>, sample: SourceFeature[], c: CollectionDef, crsParam: CrsParam, mapping: Record<string, string>): Conversion {
  const warnings = [...read.warnings];
  // The coordinate system: the parameter wins over the file; a file without one must be lon/lat.
  let transform: Transform;
  let crsName: string;
  if (crsParam === 'gcj02') {
    transform = gcj02ToWgs84;
    crsName = 'GCJ-02 (converted to WGS 84)';
  } else {
    let crs = crsParam ?? read.crs;
    if (!crs) {
      if (looksGeographic(sample)) crs = WGS84;
      else {
        const x = firstEasting(sample);
        const zone = x !== undefined && x >= 10_000_000 ? Math.floor(x / 1_000_000) : undefined;
        if (read.tableCoordinates === 'xy' && zone && zone >= 25 && zone <= 45) {
          crs = crsOfEpsg(4513 + zone - 25)!;
          warnings.push(`the file names no coordinate system; its eastings carry zone prefix ${zone}, so it was read as ${crs.name} (EPSG:${crs.epsg}). If it is Xi'an 1980 or Beijing 1954, import it again with ?crs=EPSG:…`);
        } else {
          throw badFile('unknown_projection', 'unknown projection: the coordinates are not longitude/latitude and the file names no coordinate system (no .prj); give it with ?crs=EPSG:… (e.g. EPSG:4527 for CGCS2000 Gauss-Kruger zone 39, EPSG:4548 for CM 117E)');
        }
      }
    }
    if (crs.warning) warnings.push(crs.warning);
    transform = toWgs84(crs);
    crsName = crs.epsg ? `${crs.name} (EPSG:${crs.epsg})` : crs.name;
  }

  // Field mapping: explicit, then automatic for the properties it leaves out.
  const fields = read.fields;
  for (const [prop, field] of Object.entries(mapping)) {
    if (!fields.includes(field)) throw badRequest(`mapping.${prop} names the field ${field}, which the file does not have; its fields are ${fields.slice(0, 40).join(', ')}`);
  }
  const full: Record<string, string> = { ...mapping };
  for (const p of c.properties) {
    if (full[p.name]) continue;
    const f = autoField(c, p, fields);
    // A field maps to one property, except a known meaning shared by several (a track's time).
    if (f && (!Object.values(full).includes(f) || KNOWN_FIELDS[c.id]?.[p.name]?.includes(f.toLowerCase()))) full[p.name] = f;
  }
  return { transform, crs: crsName, mapping: full, warnings, defs: new Map(c.properties.map((p) => [p.name, p])), used: new Set(Object.values(full)) };
}

export type ConvertedFeature = { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> };

/** One batch of features converted; geometry errors are keyed by the feature's index in the file. */
export function convertBatch(conv: Conversion, batch: SourceFeature[], first: number, geometryErrors: Map<number, FieldError>): ConvertedFeature[] {
  const { mapping: full, defs, used, transform } = conv;
  return batch.map((f, k) => {
    const src = (f?.properties ?? {}) as Record<string, unknown>;
    const properties: Record<string, unknown> = {};
    // Unmapped fields go along (the import keeps them as source attributes), unless their name is
    // a property another field was mapped to.
    for (const [key, v] of Object.entries(src)) {
      if (key === '__geometry_error') continue;
      if (used.has(key) && !(full[key] === key)) continue;
      if (defs.has(key) && full[key] !== undefined && full[key] !== key) continue;
      properties[key] = v;
    }
    for (const [prop, field] of Object.entries(full)) {
      const v = src[field];
      if (v === undefined) continue;
      properties[prop] = fitValue(defs.get(prop)!, v);
    }
    // Set by a reader (read-table.ts) as an object, which no cell of a file can be.
    const why = src.__geometry_error as Omit<FieldError, 'property'> | undefined;
    if (why && typeof why === 'object' && typeof why.reason === 'string') geometryErrors.set(first + k, { property: 'geometry', ...why });
    let geometry: unknown = f?.geometry ?? null;
    if (geometry) {
      try {
        geometry = transformGeometry(geometry as { type: string; coordinates: unknown }, transform);
      } catch (e) {
        if (e instanceof CoordinateError) throw badRequest(e.message);
        throw e;
      }
    }
    return { type: 'Feature' as const, geometry, properties };
  });
}

/** A whole file at once (small files, tests). */
export function convert(read: ReadResult, c: CollectionDef, crsParam: CrsParam, mapping: Record<string, string>): Converted {
  const conv = planConversion(read, read.features.slice(0, 100), c, crsParam, mapping);
  const geometryErrors = new Map<number, FieldError>();
  const features = convertBatch(conv, read.features, 0, geometryErrors);
  return { features, geometryErrors, crs: conv.crs, mapping: conv.mapping, warnings: conv.warnings };
}
