/** The import dialog's server calls and its remembered field mappings (per layer and source fields). */
import { api, type FieldError } from '../../api/http';

export interface Invalid {
  index: number;
  reason: string;
  /** The same problems one by one (said in the UI's language by lib/reasons.ts). */
  errors?: FieldError[];
}

export interface DryRun {
  dryRun: true;
  count: number;
  invalid: Invalid[];
  format?: string;
  crs?: string;
  encoding?: string;
  fields?: string[];
  mapping?: Record<string, string>;
  file_warnings?: string[];
  preview: { geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> }[];
}

export interface Imported {
  imported: number;
  skipped: Invalid[];
}

export interface ImportOptions {
  crs: string;
  encoding: string;
  mapping: Record<string, string>;
  skipInvalid?: boolean;
}

function url(collection: string, o: ImportOptions, dryRun: boolean): string {
  const q = new URLSearchParams();
  if (o.crs) q.set('crs', o.crs);
  if (o.encoding) q.set('encoding', o.encoding);
  if (Object.keys(o.mapping).length) q.set('mapping', JSON.stringify(o.mapping));
  if (o.skipInvalid) q.set('skipInvalid', 'true');
  if (dryRun) q.set('dryRun', 'true');
  return `/api/import/${collection}?${q}`;
}

function body(file: File): FormData {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
}

export const checkFile = (collection: string, file: File, o: ImportOptions) => api<DryRun>(url(collection, o, true), { method: 'POST', body: body(file) });
export const importFile = (collection: string, file: File, o: ImportOptions) => api<Imported>(url(collection, o, false), { method: 'POST', body: body(file) });

const key = (collection: string, fields: string[]) => `remap.import-mapping.${collection}.${[...fields].sort().join('|')}`;

/** The mapping last used for a file with these fields, if any. */
export function rememberedMapping(collection: string, fields: string[]): Record<string, string> | undefined {
  try {
    const raw = localStorage.getItem(key(collection, fields));
    return raw ? (JSON.parse(raw) as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

export function rememberMapping(collection: string, fields: string[], mapping: Record<string, string>): void {
  try {
    localStorage.setItem(key(collection, fields), JSON.stringify(mapping));
  } catch {
    // private mode: nothing to remember
  }
}

/** First position of a geometry, for the preview table. */
export function firstPosition(g: DryRun['preview'][number]['geometry']): string {
  let c: unknown = g?.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) ? `${Number(c[0]).toFixed(6)}, ${Number(c[1]).toFixed(6)}` : '—';
}

/** The previewed rows with a usable geometry, as map features, and their extent. */
export function previewOnMap(check: DryRun): { features: GeoJSON.Feature[]; bbox: [number, number, number, number] | null } {
  const features: GeoJSON.Feature[] = [];
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): boolean => {
    if (!Array.isArray(c)) return false;
    if (typeof c[0] === 'number') {
      const [x, y] = c as number[];
      if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) return false;
      b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
      return true;
    }
    return c.every(walk);
  };
  for (const f of check.preview) {
    if (f.geometry && walk(f.geometry.coordinates)) features.push({ type: 'Feature', geometry: f.geometry as GeoJSON.Geometry, properties: {} });
  }
  return { features, bbox: features.length ? (b as [number, number, number, number]) : null };
}
