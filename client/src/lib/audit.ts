/**
 * The audit log as people read it: which fields an entry changed (before → after), the filters
 * of the log as query parameters, and the page an offset is on. Pure functions.
 */
import type { CollectionDef } from '../../../server/collections/registry';
import { formatValue, type Lang } from './format';

export interface AuditEntry {
  id: number;
  at: string;
  username: string | null;
  action: string;
  collection: string | null;
  feature_id: number | string | null;
  before: unknown;
  after: unknown;
}

export interface FieldChange {
  /** A property name, or 'geometry'. */
  field: string;
  before: unknown;
  after: unknown;
}

/** Kept by the server on every write: a change of these alone says nothing to a reader. */
const BOOKKEEPING = new Set(['id', 'created_at', 'updated_at', 'created_by', 'updated_by']);

interface Snapshot {
  properties: Record<string, unknown>;
  geometry?: unknown;
}

/** A stored before/after: a GeoJSON feature, or a plain row of properties (with `geometry`/`geom`). */
function snapshot(x: unknown): Snapshot | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  if (o.properties && typeof o.properties === 'object') return { properties: o.properties as Record<string, unknown>, geometry: o.geometry };
  const { geometry, geom, ...properties } = o;
  return { properties, geometry: geometry ?? geom };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Fields that differ between before and after, in the collection's property order (then any
 * other field alphabetically, then the geometry). A creation lists what was set, a deletion what
 * was there.
 */
export function auditChanges(entry: Pick<AuditEntry, 'before' | 'after'>, c?: CollectionDef): FieldChange[] {
  const before = snapshot(entry.before);
  const after = snapshot(entry.after);
  const names = new Set([...Object.keys(before?.properties ?? {}), ...Object.keys(after?.properties ?? {})]);
  const order = c?.properties.map((p) => p.name) ?? [];
  const sorted = [...names]
    .filter((n) => !BOOKKEEPING.has(n))
    .sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      if (ia >= 0 && ib >= 0) return ia - ib;
      if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
      return a.localeCompare(b);
    });
  const out: FieldChange[] = [];
  for (const field of sorted) {
    const b = before?.properties[field] ?? null;
    const a = after?.properties[field] ?? null;
    if (!same(a, b)) out.push({ field, before: b, after: a });
  }
  if (!same(before?.geometry, after?.geometry) && (before?.geometry || after?.geometry)) {
    out.push({ field: 'geometry', before: before?.geometry ?? null, after: after?.geometry ?? null });
  }
  return out;
}

/** A changed value as text: labels and units from the registry, '—' for nothing. */
export function formatChangeValue(c: CollectionDef | undefined, field: string, value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'geometry') {
    const type = (value as { type?: string }).type;
    return type ?? '…';
  }
  const def = c?.properties.find((p) => p.name === field);
  if (def && c) return formatValue(c, def, value, lang);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface AuditFilters {
  user?: string;
  collection?: string;
  action?: string;
  /** Calendar days in Asia/Shanghai, both included. */
  from?: string;
  to?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day after a 'YYYY-MM-DD' (calendar arithmetic, no time zone involved). */
export function nextDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Query string of /api/audit for the filters and a page. Days are turned into instants at
 * midnight in Asia/Shanghai; the end day is included, so `to` is the next midnight.
 */
export function auditQuery(filters: AuditFilters, limit: number, offset: number): string {
  const q = new URLSearchParams();
  if (filters.user) q.set('user', filters.user);
  if (filters.collection) q.set('collection', filters.collection);
  if (filters.action) q.set('action', filters.action);
  if (filters.from && DAY.test(filters.from)) q.set('from', `${filters.from}T00:00:00+08:00`);
  if (filters.to && DAY.test(filters.to)) q.set('to', `${nextDay(filters.to)}T00:00:00+08:00`);
  q.set('limit', String(limit));
  q.set('offset', String(offset));
  return q.toString();
}

/** Entries and, when the server says, how many match; accepts a bare array or an envelope. */
export function readAuditPage(body: unknown): { entries: AuditEntry[]; total?: number } {
  if (Array.isArray(body)) return { entries: body as AuditEntry[] };
  const o = (body ?? {}) as Record<string, unknown>;
  const entries = (o.entries ?? o.items ?? o.audit ?? []) as AuditEntry[];
  const total = [o.total, o.numberMatched, o.count].find((n) => typeof n === 'number') as number | undefined;
  return { entries: Array.isArray(entries) ? entries : [], total };
}

/** "21–40 of 95" parts for a page; without a total, whether a next page may exist. */
export function pageInfo(offset: number, shown: number, limit: number, total?: number): { first: number; last: number; hasPrev: boolean; hasNext: boolean } {
  return {
    first: shown ? offset + 1 : 0,
    last: offset + shown,
    hasPrev: offset > 0,
    hasNext: total !== undefined ? offset + shown < total : shown === limit,
  };
}
