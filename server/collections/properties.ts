/**
 * Checks and normalises a feature's properties against its collection's definitions.
 * Messages name the property and say what it accepts, so a user can fix the input.
 */
import type { CollectionDef, PropertyDef } from './registry.js';
import { SYSTEM_PROPERTIES } from './registry.js';
import { MAX_SOURCE_BYTES } from '../limits.js';
import { shown, type ReasonCode, type ReasonParams } from './reasons.js';

export type WriteMode =
  /** POST or PUT of one item: every required property, unknown names refused. */
  | 'create'
  /** PATCH (JSON Merge Patch): only the given properties; null clears one. */
  | 'patch'
  /** Bulk import: like create, but unknown names are kept in `source`. */
  | 'import';

/** One problem with one property (or with the feature as a whole when property is absent). */
export interface FieldError {
  property?: string;
  reason: string;
  /** The kind of problem, for a client to say in its language (reasons.ts). */
  code?: ReasonCode;
  params?: ReasonParams;
}

export interface PropertiesCheck {
  values: Record<string, unknown>;
  /** Attributes without a column: kept as the feature's source properties. */
  source?: Record<string, unknown>;
  errors: FieldError[];
}

const READ_ONLY = new Set<string>(['id', ...SYSTEM_PROPERTIES]);
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Today's calendar date in Asia/Shanghai, where the township's days begin and end. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Normalises one value or returns a message saying what the property accepts. */
// Lists of ids are filled by the client, not typed by a user: their messages have no code.
type Refusal = { error: string; code?: ReasonCode; params?: ReasonParams };

function normalise(def: PropertyDef, value: unknown): { value: unknown } | Refusal {
  const name = def.name;
  switch (def.type) {
    case 'text': {
      const s = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
      if (typeof s !== 'string') return { error: `${name} must be text`, code: 'text' };
      if (def.required && s.trim() === '') return { error: `${name} must not be blank`, code: 'blank' };
      if (s.length > def.maxLength) return { error: `${name} is ${s.length} characters long; at most ${def.maxLength} are allowed`, code: 'too_long', params: { length: s.length } };
      if (def.pattern && s !== '' && !new RegExp(def.pattern.regex).test(s)) {
        return { error: `${name} must be ${def.pattern.hint.en}, got ${JSON.stringify(s)}`, code: 'pattern', params: { value: shown(s) } };
      }
      return { value: s === '' && !def.required ? null : s };
    }
    case 'enum': {
      if (typeof value !== 'string' || !def.values.includes(value)) {
        const allowed = def.values.map((v) => `${v} (${def.valueLabels[v].zh})`).join(', ');
        return { error: `${name} is ${JSON.stringify(value)}; use one of ${allowed}`, code: 'enum', params: { value: shown(value) } };
      }
      return { value };
    }
    case 'number':
    case 'integer': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { error: `${name} must be a number, got ${JSON.stringify(value)}`, code: 'number', params: { value: shown(value) } };
      if (def.type === 'integer' && !Number.isInteger(n)) return { error: `${name} must be a whole number, got ${n}`, code: 'integer', params: { value: n } };
      if (n < def.min || n > def.max) {
        const u = def.unit ? ` ${def.unit.en}` : '';
        return { error: `${name} is ${n}${u}; it must be between ${def.min} and ${def.max}${u}`, code: 'range', params: { value: n } };
      }
      return { value: n };
    }
    case 'date': {
      if (typeof value !== 'string' || !isCalendarDate(value)) {
        return { error: `${name} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)}`, code: 'date', params: { value: shown(value) } };
      }
      return { value };
    }
    case 'ids': {
      if (!Array.isArray(value)) return { error: `${name} must be a list of ids such as [12, 13]` };
      if (value.length > def.maxItems) return { error: `${name} has ${value.length} ids; at most ${def.maxItems} are allowed` };
      const bad = value.filter((v) => typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1);
      if (bad.length) return { error: `${name} must hold positive whole numbers (ids), got ${JSON.stringify(bad[0])}` };
      return { value: [...new Set(value as number[])] };
    }
    case 'datetime': {
      if (typeof value !== 'string' || !(DATETIME_RE.test(value) || isCalendarDate(value))) {
        return { error: `${name} must be a date-time such as 2026-10-05T08:30:00+08:00, got ${JSON.stringify(value)}`, code: 'datetime', params: { value: shown(value) } };
      }
      // Without an offset the time is read in Asia/Shanghai, the township's clock.
      let text = isCalendarDate(value) ? `${value}T00:00:00+08:00` : value.replace(' ', 'T');
      if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) text += '+08:00';
      const t = Date.parse(text);
      if (Number.isNaN(t)) return { error: `${name} is not a real date-time: ${JSON.stringify(value)}`, code: 'datetime', params: { value: shown(value) } };
      return { value: new Date(t).toISOString() };
    }
  }
}

function defaultFor(def: PropertyDef): unknown {
  if (def.type === 'ids') return [];
  if (def.type === 'enum' || def.type === 'number' || def.type === 'integer') return def.default;
  if ((def.type === 'date' || def.type === 'datetime') && def.defaultNow) {
    return def.type === 'date' ? shanghaiToday() : new Date().toISOString();
  }
  return undefined;
}

/**
 * Rules across two properties: `property` may not be before `after`. The database enforces them
 * too, by the named CHECK constraint (repository.ts explainDbError answers the same detail).
 */
export const ORDER_RULES = [
  { collection: 'garbage_points', property: 'cleared_at', after: 'reported_at', constraint: 'garbage_points_cleared_after_reported', reason: 'cleared_at is before reported_at; a point is cleared after it was reported' },
  { collection: 'demolition_sites', property: 'demolished_on', after: 'identified_on', constraint: 'demolition_sites_demolished_after_identified', reason: 'demolished_on is before identified_on; a structure is demolished after it was identified' },
  { collection: 'patrols', property: 'ended_at', after: 'started_at', constraint: 'patrols_ended_after_started', reason: 'ended_at is before started_at; a patrol ends after it started' },
] as const;

export function orderError(rule: (typeof ORDER_RULES)[number]): FieldError {
  return { property: rule.property, reason: rule.reason, code: 'order', params: { after: rule.after } };
}

function crossChecks(c: CollectionDef, v: Record<string, unknown>, errors: FieldError[]): void {
  for (const rule of ORDER_RULES) {
    if (rule.collection !== c.id) continue;
    const [later, earlier] = [v[rule.property], v[rule.after]];
    if (later && earlier && String(later) < String(earlier)) errors.push(orderError(rule));
  }
}

export function checkProperties(c: CollectionDef, input: unknown, mode: WriteMode): PropertiesCheck {
  const errors: FieldError[] = [];
  const values: Record<string, unknown> = {};
  if (input === null || input === undefined) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { values, errors: [{ reason: 'properties must be a JSON object' }] };
  }
  const props = input as Record<string, unknown>;
  const defs = new Map(c.properties.map((d) => [d.name, d]));
  let source: Record<string, unknown> | undefined;

  for (const [key, value] of Object.entries(props)) {
    if (READ_ONLY.has(key)) {
      // Kept from a file (its own id) but never written over ours; ignored on item writes,
      // since OGC clients send back the features they read.
      if (mode === 'import' && key === 'id' && value !== null) (source ??= {}).id = value;
      continue;
    }
    if (key === 'source') {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) errors.push({ property: 'source', reason: 'source must be a JSON object of extra attributes' });
      else source = { ...(source ?? {}), ...(value as Record<string, unknown> | null ?? {}) };
      continue;
    }
    const def = defs.get(key);
    // Derived values are the server's: ignored when sent back (as OGC clients do), never written.
    if (def?.readOnly) continue;
    if (!def) {
      if (mode === 'import') (source ??= {})[key] = value;
      else errors.push({ property: key.slice(0, 100), reason: `unknown property ${key.slice(0, 100)}; ${c.id} has ${c.properties.map((d) => d.name).join(', ')}`, code: 'unknown_property' });
      continue;
    }
    if (value === null || value === undefined) {
      if (def.required) errors.push({ property: key, reason: `${key} is required and cannot be null`, code: 'required' });
      else values[key] = null;
      continue;
    }
    const r = normalise(def, value);
    if ('error' in r) errors.push({ property: key, reason: r.error, ...(r.code ? { code: r.code } : {}), ...(r.params ? { params: r.params } : {}) });
    else values[key] = r.value;
  }

  // Columns have their own length limits; the free-form source attributes get one in total, so a
  // file cannot park megabytes on every feature.
  if (source) {
    const bytes = Buffer.byteLength(JSON.stringify(source));
    if (bytes > MAX_SOURCE_BYTES) {
      errors.push({ property: 'source', reason: `the extra attributes (source) are ${Math.ceil(bytes / 1024)} KB of JSON; at most ${MAX_SOURCE_BYTES / 1024} KB a feature are kept`, code: 'source_too_large', params: { kb: Math.ceil(bytes / 1024), max_kb: MAX_SOURCE_BYTES / 1024 } });
    }
  }

  if (mode !== 'patch') {
    for (const def of c.properties) {
      if (def.readOnly) continue;
      if (values[def.name] !== undefined && values[def.name] !== null) continue;
      const d = defaultFor(def);
      if (d !== undefined) values[def.name] = d;
      else if (def.required && !errors.some((e) => e.property === def.name)) errors.push({ property: def.name, reason: `${def.name} is required`, code: 'required' });
    }
    crossChecks(c, values, errors);
  }
  return { values, source, errors };
}
