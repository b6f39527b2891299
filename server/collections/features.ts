/**
 * The write path shared by item routes and bulk import: a GeoJSON feature in, checked properties
 * and a 2D geometry out, or every reason it cannot be written.
 */
import type { Queryable } from '../db/index.js';
import { HttpError, unprocessable } from '../errors.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { checkGeometry, needsTopologyCheck, type Geometry, type GeometryCheck } from './geometry.js';
import { checkProperties, type FieldError, type WriteMode } from './properties.js';
import { invalidTopology, type FeatureInput, type PatchInput } from './repository.js';
import type { CollectionDef } from './registry.js';

export interface Rejected {
  index: number;
  /** Every problem of the feature in one sentence. */
  reason: string;
  /** The same problems one by one, with the property each concerns (geometry: 'geometry'). */
  errors: FieldError[];
}

/** What a single-item write does with an over-limit geometry: 413, the limit named. */
function tooLarge(reason: string): HttpError {
  return new HttpError(413, 'payload_too_large', `the feature cannot be saved: ${reason}`, [{ property: 'geometry', reason }]);
}

export interface Warning {
  index: number;
  warning: string;
}

export interface Prepared {
  accepted: { index: number; feature: FeatureInput }[];
  rejected: Rejected[];
  warnings: Warning[];
}

function checkOne(c: CollectionDef, raw: unknown, mode: Exclude<WriteMode, 'patch'>, limits: Limits): { feature?: FeatureInput; errors: FieldError[]; warning?: string; tooLarge?: string } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { errors: [{ reason: 'not a GeoJSON Feature object' }] };
  const f = raw as { type?: unknown; geometry?: unknown; properties?: unknown };
  if (f.type !== 'Feature') return { errors: [{ reason: `type must be "Feature", got ${JSON.stringify(f.type)}` }] };
  const errors: FieldError[] = [];
  const g = checkGeometry(f.geometry, c.geometryTypes, limits.maxVertices);
  if (!g.ok) errors.push(geometryError(g));
  const p = checkProperties(c, f.properties, mode);
  errors.push(...p.errors);
  if (errors.length || !g.ok) return { errors, tooLarge: !g.ok && g.tooLarge ? g.reason : undefined };
  return { feature: { properties: p.values, source: p.source ?? null, geometry: g.geometry }, errors, warning: g.dropped };
}

function geometryError(g: Extract<GeometryCheck, { ok: false }>): FieldError {
  return { property: 'geometry', reason: g.reason, code: g.code, ...(g.params ? { params: g.params } : {}) };
}

const rejected = (index: number, errors: FieldError[]): Rejected => ({ index, reason: errors.map((e) => e.reason).join('; '), errors });

/** Adds GEOS's verdict on polygons to the structural checks. */
async function withTopology(db: Queryable, c: CollectionDef, prepared: Prepared): Promise<Prepared> {
  if (!c.geometryTypes.some(needsTopologyCheck)) return prepared;
  const candidates = prepared.accepted.filter((a) => needsTopologyCheck(a.feature.geometry.type));
  const bad = await invalidTopology(db, candidates.map((a) => a.feature.geometry));
  if (!bad.size) return prepared;
  const badIndexes = new Map<number, FieldError>();
  for (const [i, error] of bad) badIndexes.set(candidates[i].index, error);
  return {
    accepted: prepared.accepted.filter((a) => !badIndexes.has(a.index)),
    rejected: [...prepared.rejected, ...[...badIndexes].map(([index, error]) => rejected(index, [error]))].sort((a, b) => a.index - b.index),
    warnings: prepared.warnings.filter((w) => !badIndexes.has(w.index)),
  };
}

/** Checks every feature of an import (or of one item write, as a list of one). */
export async function prepareFeatures(db: Queryable, c: CollectionDef, raws: unknown[], mode: Exclude<WriteMode, 'patch'>, limits: Limits = DEFAULT_LIMITS): Promise<Prepared> {
  const out: Prepared = { accepted: [], rejected: [], warnings: [] };
  raws.forEach((raw, index) => {
    const r = checkOne(c, raw, mode, limits);
    if (r.feature) {
      out.accepted.push({ index, feature: r.feature });
      if (r.warning) out.warnings.push({ index, warning: r.warning });
    } else {
      out.rejected.push(rejected(index, r.errors));
    }
  });
  return withTopology(db, c, out);
}

/** One feature for POST or PUT; throws 422 naming every problem. */
export async function prepareFeature(db: Queryable, c: CollectionDef, raw: unknown, limits: Limits = DEFAULT_LIMITS): Promise<{ feature: FeatureInput; warning?: string }> {
  const over = checkOne(c, raw, 'create', limits).tooLarge;
  if (over) throw tooLarge(over);
  const r = await prepareFeatures(db, c, [raw], 'create', limits);
  if (r.rejected.length) throw unprocessable('invalid_feature', `the feature cannot be saved: ${r.rejected[0].reason}`, r.rejected[0].errors);
  return { feature: r.accepted[0].feature, warning: r.warnings[0]?.warning };
}

/** A JSON Merge Patch of a feature: {properties?, geometry?}; throws 422 naming every problem. */
export async function preparePatch(db: Queryable, c: CollectionDef, raw: unknown, limits: Limits = DEFAULT_LIMITS): Promise<{ patch: PatchInput; warning?: string }> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw unprocessable('invalid_feature', 'a patch must be a JSON object such as {"properties": {"status": "cleared"}}');
  }
  const body = raw as { type?: unknown; geometry?: unknown; properties?: unknown; id?: unknown };
  const unknownKeys = Object.keys(body).filter((k) => !['type', 'geometry', 'properties', 'id', 'links', 'bbox'].includes(k));
  const errors: FieldError[] = unknownKeys.map((k) => ({ reason: `unknown member ${k}; a patch has properties and geometry` }));
  let geometry: Geometry | undefined;
  let warning: string | undefined;
  if (body.geometry === null) errors.push({ property: 'geometry', reason: 'geometry cannot be removed; every feature needs one' });
  else if (body.geometry !== undefined) {
    const g = checkGeometry(body.geometry, c.geometryTypes, limits.maxVertices);
    if (!g.ok && g.tooLarge) throw tooLarge(g.reason);
    if (g.ok) {
      geometry = g.geometry;
      warning = g.dropped;
    } else errors.push(geometryError(g));
  }
  const p = checkProperties(c, body.properties, 'patch');
  errors.push(...p.errors);
  if (geometry && needsTopologyCheck(geometry.type)) {
    const bad = await invalidTopology(db, [geometry]);
    if (bad.size) errors.push(bad.get(0)!);
  }
  if (errors.length) throw unprocessable('invalid_feature', `the change cannot be saved: ${errors.map((e) => e.reason).join('; ')}`, errors);
  const source = body.properties && typeof body.properties === 'object' && 'source' in (body.properties as object) ? p.source ?? null : undefined;
  return { patch: { properties: p.values, source, geometry }, warning };
}
