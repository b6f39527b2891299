/**
 * Reads and writes the features of one collection. SQL lives in server/sql/items/*.sql; the
 * table and column names spliced into it come from the registry (checked by ident()).
 */
import type { Queryable } from '../db/index.js';
import { fillTemplate, ident } from '../db/sql.js';
import { unprocessable } from '../errors.js';
import type { CollectionDef, PropertyDef } from './registry.js';
import { SYSTEM_PROPERTIES, writableProperties } from './registry.js';
import type { Geometry } from './geometry.js';
import { ORDER_RULES, orderError, type FieldError } from './properties.js';
import { TOPOLOGY } from './reasons.js';

export interface DatetimeFilter {
  /** Inclusive bounds; undefined means open. Values are ISO instants or dates matching the column type. */
  start?: string;
  end?: string;
}

export interface ListQuery {
  bbox?: [number, number, number, number];
  datetime?: DatetimeFilter;
  /** property → accepted values (already checked against the registry). */
  filters?: Record<string, string[]>;
  limit: number;
  offset: number;
}

/** A feature ready to be written: checked properties and a 2D geometry. */
export interface FeatureInput {
  properties: Record<string, unknown>;
  source?: Record<string, unknown> | null;
  geometry: Geometry;
}

export interface PatchInput {
  properties: Record<string, unknown>;
  source?: Record<string, unknown> | null;
  geometry?: Geometry;
}

/** Rows per INSERT statement in a bulk write: large enough to amortise round trips, small enough for memory. */
export const INSERT_BATCH = 10_000;

interface Statements {
  select: (where: string, limit: string, offset: string) => string;
  count: (where: string) => string;
  insert: string;
  get: string;
  replace: string;
  patch: string;
  delete: string;
  extent: string;
}

const statements = new Map<string, Statements>();

/** The array type each kind of property travels in for a bulk insert. */
const ARRAY_TYPE: Record<PropertyDef['type'], string> = {
  text: 'text', enum: 'text', number: 'float8', integer: 'int4', date: 'date', datetime: 'timestamptz',
  // A list per row cannot travel in an array of arrays (unnest would flatten it): each list goes
  // as its array literal '{1,2}' and is cast back per row.
  ids: 'text',
};

/** The value of one property as a bulk-insert array element. */
function insertValue(p: PropertyDef, v: unknown): unknown {
  if (p.type === 'ids') return Array.isArray(v) ? `{${v.map((x) => Number(x)).join(',')}}` : '{}';
  return v ?? null;
}

function statementsFor(c: CollectionDef): Statements {
  const cached = statements.get(c.id);
  if (cached) return cached;
  const table = ident(c.table);
  // Derived (read-only) columns are read but never written here: the database works them out.
  const writable = writableProperties(c);
  const names = writable.map((p) => ident(p.name));
  const columns = names.join(', ');
  const pColumns = names.map((n) => `p.${n}`).join(', ');
  const properties = [...c.properties.map((p) => ident(p.name)), 'source', ...SYSTEM_PROPERTIES].map((n) => `'${n}', t.${n}`).join(', ');
  const arrays = [...writable.map((p, i) => `$${i + 1}::${ARRAY_TYPE[p.type]}[]`), `$${names.length + 1}::text[]`, `$${names.length + 2}::text[]`].join(', ');
  const uColumns = writable.map((p) => (p.type === 'ids' ? `u.${ident(p.name)}::bigint[]` : `u.${ident(p.name)}`)).join(', ');
  const s: Statements = {
    select: (where, limit, offset) => fillTemplate('items/select', { table, properties, where, limit, offset }),
    count: (where) => fillTemplate('items/count', { table, where }),
    insert: fillTemplate('items/insert', { table, columns, u_columns: uColumns, arrays }),
    get: fillTemplate('items/get', { table, properties }),
    replace: fillTemplate('items/replace', { table, columns, p_columns: pColumns }),
    patch: fillTemplate('items/patch', { table, columns, p_columns: pColumns }),
    delete: fillTemplate('items/delete', { table }),
    extent: fillTemplate('items/extent', { table, temporal: ident(c.temporal) }),
  };
  statements.set(c.id, s);
  return s;
}

function temporalType(c: CollectionDef): 'date' | 'datetime' {
  const def = c.properties.find((p) => p.name === c.temporal);
  return def?.type === 'date' ? 'date' : 'datetime';
}

/** WHERE clause and its parameters for a list query; placeholders start after `after` others. */
export function buildWhere(c: CollectionDef, q: Omit<ListQuery, 'limit' | 'offset'>, after = 0): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${after + params.length}`;
  };
  if (q.bbox) {
    const [a, b, cc, d] = q.bbox;
    conditions.push(`t.geom && ST_MakeEnvelope(${p(a)}, ${p(b)}, ${p(cc)}, ${p(d)}, 4326)`);
  }
  if (q.datetime) {
    const col = `t.${ident(c.temporal)}`;
    const cast = temporalType(c) === 'date' ? 'date' : 'timestamptz';
    if (q.datetime.start !== undefined) conditions.push(`${col} >= ${p(q.datetime.start)}::${cast}`);
    if (q.datetime.end !== undefined) conditions.push(`${col} <= ${p(q.datetime.end)}::${cast}`);
  }
  for (const [prop, values] of Object.entries(q.filters ?? {})) {
    conditions.push(`t.${ident(prop)} = ANY(${p(values)}::text[])`);
  }
  return { where: conditions.length ? conditions.join(' AND ') : 'true', params };
}

/** Maps a database refusal of a value to a 422 that names the rule; anything else is rethrown. */
export function explainDbError(e: unknown): never {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err.code === '23514' || err.code === '23502') {
    const name = err.constraint ?? /constraint "([^"]+)"/.exec(err.message ?? '')?.[1] ?? '';
    // A rule across two properties names the field, as the check before the write does.
    const order = ORDER_RULES.find((r) => r.constraint === name);
    if (order) throw unprocessable('invalid_feature', order.reason, [orderError(order)]);
    if (name === 'findings_photos_exist') {
      throw unprocessable('invalid_feature', 'photo_ids names a photo that was never uploaded; upload photos with POST /api/photos and use the ids it answers');
    }
    throw unprocessable('invalid_feature', `the feature breaks the database rule ${name || err.code}: check its values`);
  }
  if (err.code && err.code.startsWith('22')) {
    throw unprocessable('invalid_feature', `a value was not accepted by the database: ${err.message}`);
  }
  throw e;
}

export class FeatureRepository {
  private readonly s: Statements;

  constructor(readonly collection: CollectionDef) {
    this.s = statementsFor(collection);
  }

  async list(db: Queryable, q: ListQuery): Promise<{ features: string[]; numberMatched: number }> {
    const { where, params } = buildWhere(this.collection, q);
    const n = params.length;
    const page = await db.query<{ feature: string }>(this.s.select(where, `$${n + 1}`, `$${n + 2}`), [...params, q.limit, q.offset]);
    // Counting is skipped when the page shows everything already.
    const numberMatched =
      q.offset === 0 && page.rows.length < q.limit
        ? page.rows.length
        : (await db.query<{ n: number }>(this.s.count(where), params)).rows[0].n;
    return { features: page.rows.map((r) => r.feature), numberMatched };
  }

  async get(db: Queryable, id: number): Promise<string | undefined> {
    return (await this.getVersioned(db, id))?.text;
  }

  /** One feature's text and its version (bumped by a trigger on every change; see 010_feature_versions.sql). */
  async getVersioned(db: Queryable, id: number): Promise<{ text: string; version: string } | undefined> {
    const { rows } = await db.query<{ feature: string; version: string }>(this.s.get, [id]);
    return rows[0] && { text: rows[0].feature, version: rows[0].version };
  }

  /** Inserts features in batches; returns their new ids in input order. Run it inside a transaction for atomicity. */
  async insertMany(db: Queryable, features: FeatureInput[]): Promise<number[]> {
    const ids: number[] = [];
    const props = writableProperties(this.collection);
    for (let i = 0; i < features.length; i += INSERT_BATCH) {
      const batch = features.slice(i, i + INSERT_BATCH);
      const params: unknown[] = props.map((p) => batch.map((f) => insertValue(p, f.properties[p.name])));
      params.push(batch.map((f) => (f.source ? JSON.stringify(f.source) : null)));
      params.push(batch.map((f) => JSON.stringify(f.geometry)));
      try {
        const { rows } = await db.query<{ id: number }>(this.s.insert, params);
        for (const r of rows) ids.push(r.id);
      } catch (e) {
        explainDbError(e);
      }
    }
    return ids;
  }

  /**
   * Writes only if the row still has one of `expectedVersions` (when given); the check and the write are
   * one statement. False when no row was written (missing, or changed since that version).
   */
  async replace(db: Queryable, id: number, f: FeatureInput, expectedVersions: string[] | null = null): Promise<boolean> {
    try {
      const { rows } = await db.query(this.s.replace, [JSON.stringify(f.properties), f.source ? JSON.stringify(f.source) : null, JSON.stringify(f.geometry), id, expectedVersions]);
      return rows.length === 1;
    } catch (e) {
      explainDbError(e);
    }
  }

  async patch(db: Queryable, id: number, f: PatchInput, expectedVersions: string[] | null = null): Promise<boolean> {
    try {
      const { rows } = await db.query(this.s.patch, [
        JSON.stringify(f.properties),
        f.source === undefined ? null : JSON.stringify(f.source ?? {}),
        f.geometry ? JSON.stringify(f.geometry) : null,
        id,
        expectedVersions,
      ]);
      return rows.length === 1;
    } catch (e) {
      explainDbError(e);
    }
  }

  async delete(db: Queryable, id: number, expectedVersions: string[] | null = null): Promise<boolean> {
    const { rows } = await db.query(this.s.delete, [id, expectedVersions]);
    return rows.length === 1;
  }

  async extent(db: Queryable): Promise<{ bbox: number[] | null; interval: [string | null, string | null]; count: number }> {
    const { rows } = await db.query<{ xmin: number | null; ymin: number; xmax: number; ymax: number; tmin: unknown; tmax: unknown; n: number }>(this.s.extent);
    const r = rows[0];
    const iso = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));
    return {
      bbox: r.xmin === null ? null : [r.xmin, r.ymin, r.xmax, r.ymax],
      interval: [iso(r.tmin), iso(r.tmax)],
      count: r.n,
    };
  }
}

/** Indexes (into `geometries`) that GEOS finds invalid, with a readable reason. */
export async function invalidTopology(db: Queryable, geometries: Geometry[]): Promise<Map<number, FieldError>> {
  const out = new Map<number, FieldError>();
  if (!geometries.length) return out;
  const { rows } = await db.query<{ idx: number; reason: string }>(
    fillTemplate('geometry_validity', {}),
    [geometries.map((g) => JSON.stringify(g))],
  );
  for (const r of rows) out.set(r.idx, topologyError(r.reason));
  return out;
}

/** GEOS says "Self-intersection[117.1 32.9]"; users need to know what to fix. */
export function topologyError(reason: string): FieldError {
  const m = /^([^[]+)\[([-\d.e]+) ([-\d.e]+)\]/.exec(reason);
  const what = (m ? m[1] : reason).trim();
  const near = m ? `${Number(m[2]).toFixed(6)}, ${Number(m[3]).toFixed(6)}` : '';
  const [kind, fix] = TOPOLOGY[what] ?? ['other', 'fix the geometry so that it is valid (OGC simple features)'];
  return {
    property: 'geometry',
    reason: `invalid geometry (${what}${near ? ` near ${near}` : ''}): ${fix}`,
    code: 'topology',
    params: { kind, near, what: what.slice(0, 80) },
  };
}
