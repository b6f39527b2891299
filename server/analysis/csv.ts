/**
 * CSV for every analysis (f=csv): UTF-8 with a byte-order mark so that Excel opens Chinese text
 * correctly, a header row with the column names, one row per record.
 */
import { stringify } from 'csv-stringify/sync';

export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : v);
  return '\ufeff' + stringify([cols, ...rows.map((r) => cols.map((c) => cell(r[c])))]);
}
