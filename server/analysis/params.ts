/**
 * Parameters shared by the analyses, each checked with a 400 that names the parameter and says
 * what it accepts.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { invalidParameter } from '../errors.js';
import { findCollection, type EnumProperty } from '../collections/registry.js';

export interface RoadRef {
  id: number;
  code: string;
  name: string;
  class: string;
  width_m: number | null;
}

/** `roads=S225,G206` → the road features with those codes; empty or absent → every road. */
export async function parseRoads(db: Queryable, raw: string | undefined): Promise<{ codes: string[] | 'all'; roads: RoadRef[] }> {
  const codes = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!codes.length) {
    const { rows } = await db.query<RoadRef>('SELECT id, code, name, class, width_m FROM roads ORDER BY code, id');
    return { codes: 'all', roads: rows };
  }
  if (codes.length > 500) throw invalidParameter('roads', 'at most 500 road codes at once');
  const { rows } = await db.query<RoadRef>(sqlFile('roads/by_codes'), [codes]);
  const found = new Set(rows.map((r) => r.code));
  const unknown = codes.filter((c) => !found.has(c));
  if (unknown.length) {
    const { rows: all } = await db.query<{ code: string }>('SELECT DISTINCT code FROM roads ORDER BY code LIMIT 60');
    throw invalidParameter('roads', `no road with code ${unknown.map((c) => JSON.stringify(c.slice(0, 40))).join(', ')}; known codes: ${all.map((r) => r.code).join(', ')}`);
  }
  return { codes, roads: rows };
}

/** A distance in metres: a positive number up to max. */
export function parseMetres(name: string, raw: string | undefined, fallback: number | undefined, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw invalidParameter(name, `must be a number of metres greater than 0 and at most ${max}, got ${JSON.stringify(raw.slice(0, 20))}`);
  return n;
}

export function parseCount(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw invalidParameter(name, `must be a whole number from 0 to ${max}`);
  return n;
}

export type Reference = 'centerline' | 'edge';

export function parseReference(raw: string | undefined): Reference {
  if (raw === undefined || raw === '' || raw === 'centerline' || raw === 'centreline') return 'centerline';
  if (raw === 'edge') return 'edge';
  throw invalidParameter('reference', `must be centerline (the road's centre line) or edge (centre line + width_m/2), got ${JSON.stringify(raw.slice(0, 20))}`);
}

export interface Month {
  month: string;
  /** Start of the month in Asia/Shanghai, as an instant. */
  from: Date;
  /** Start of the next month in Asia/Shanghai. */
  to: Date;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A calendar month in Asia/Shanghai (the township's), `YYYY-MM`. */
export function monthOf(text: string): Month | undefined {
  const m = MONTH.exec(text);
  if (!m) return undefined;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const from = new Date(Date.UTC(y, mo - 1, 1) - 8 * 3600_000);
  const to = new Date(Date.UTC(y, mo, 1) - 8 * 3600_000);
  return { month: text, from, to };
}

/** The current month in Asia/Shanghai. */
export function currentMonth(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}

export function parseMonth(name: string, raw: string | undefined, now = new Date()): Month {
  const text = raw === undefined || raw === '' ? currentMonth(now) : raw;
  const month = monthOf(text);
  if (!month) throw invalidParameter(name, `must be a month as YYYY-MM, e.g. 2026-10, got ${JSON.stringify(text.slice(0, 20))}`);
  if (month.from > now) throw invalidParameter(name, `${text} has not begun yet`);
  return month;
}

/** Every month from one to another, inclusive. */
export function monthRange(from: Month, to: Month): Month[] {
  if (from.from > to.from) throw invalidParameter('from', `${from.month} is after to=${to.month}`);
  const out: Month[] = [];
  for (let m: Month | undefined = from; m && m.from <= to.from; ) {
    out.push(m);
    const [y, mo] = m.month.split('-').map(Number);
    m = monthOf(mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`);
    if (out.length > 120) throw invalidParameter('to', 'at most 120 months at once');
  }
  return out;
}

/** A village by name; an unknown name is a 400 that lists the villages. */
export async function parseVillage(db: Queryable, raw: string | undefined): Promise<string | null> {
  if (raw === undefined || raw === '') return null;
  const { rows } = await db.query<{ name: string }>('SELECT DISTINCT name FROM villages ORDER BY name');
  if (!rows.some((r) => r.name === raw)) {
    throw invalidParameter('village', `no village ${JSON.stringify(raw.slice(0, 40))}; villages: ${rows.map((r) => r.name).join(', ')}`);
  }
  return raw;
}

/** A comma list of values of a collection's enumeration, with a default. */
export function parseEnumList(name: string, raw: string | undefined, collection: string, property: string, fallback: string[]): string[] {
  if (raw === undefined || raw === '') return fallback;
  const def = findCollection(collection)!.properties.find((p) => p.name === property) as EnumProperty;
  const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = values.filter((v) => !def.values.includes(v));
  if (bad.length || !values.length) throw invalidParameter(name, `${bad.join(', ') || '(nothing)'} is not a ${property} of ${collection}; use ${def.values.join(', ')}`);
  return values;
}
