/**
 * The part of the app's state that a shared link carries, to and from the URL hash:
 *   #map=12.50/32.95000/117.20000/0&hide=villages&f.garbage_points.status=reported,assigned
 *    &f.garbage_points.from=2026-10-01&base=1&sel=garbage_points/12
 *    &tab=analysis&an=setback&a.roads=S225&a.distance_m=10
 * map = zoom/latitude/longitude[/bearing] (the order OpenStreetMap links use). The analysis part
 * names the open analysis and the parameters it ran with. Pure functions.
 */
import { findCollection } from '../../../server/collections/registry';
import type { Filters, LayerFilter } from '../map/filters';
import { filterDimensions } from '../map/filters';
import { isAnalysisKind, paramNames, type AnalysisKind, type AnalysisParams } from '../analysis/model';

export interface View {
  center: [number, number];
  zoom: number;
  bearing: number;
}

export interface UrlState {
  view?: View;
  hidden: string[];
  filters: Filters;
  basemap?: boolean;
  selected?: { collection: string; id: number };
  /** The analysis panel is open on this analysis with these parameters. */
  analysis?: { kind: AnalysisKind; params: AnalysisParams };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function encodeUrlState(s: UrlState): string {
  const parts: string[] = [];
  if (s.view) {
    const [lon, lat] = s.view.center;
    const bearing = Math.round(s.view.bearing) % 360;
    parts.push(`map=${s.view.zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}${bearing ? `/${bearing}` : ''}`);
  }
  if (s.hidden.length) parts.push(`hide=${[...s.hidden].sort().join(',')}`);
  for (const id of Object.keys(s.filters).sort()) {
    const f = s.filters[id];
    if (!f) continue;
    for (const prop of Object.keys(f.values ?? {}).sort()) parts.push(`f.${id}.${prop}=${f.values![prop].map(encodeURIComponent).join(',')}`);
    if (f.from) parts.push(`f.${id}.from=${f.from}`);
    if (f.to) parts.push(`f.${id}.to=${f.to}`);
  }
  if (s.basemap !== undefined) parts.push(`base=${s.basemap ? 1 : 0}`);
  if (s.selected) parts.push(`sel=${s.selected.collection}/${s.selected.id}`);
  if (s.analysis) {
    parts.push('tab=analysis', `an=${s.analysis.kind}`);
    // Every parameter is written, empty ones too ('a.distance_m=' is the per-class rule), so a
    // link means the same when the defaults change.
    for (const name of paramNames(s.analysis.kind)) {
      parts.push(`a.${name}=${encodeURIComponent(s.analysis.params[name] ?? '').replace(/%2C/g, ',')}`);
    }
  }
  return parts.join('&');
}

/** Reads a hash (with or without '#'); anything malformed or unknown is skipped, never thrown. */
export function decodeUrlState(hash: string): UrlState {
  const out: UrlState = { hidden: [], filters: {} };
  const text = hash.replace(/^#/, '');
  if (!text) return out;
  let tab = '';
  let kind: AnalysisKind | undefined;
  const analysisParams: AnalysisParams = {};
  for (const part of text.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'map') {
      const [z, lat, lon, bearing] = value.split('/').map(Number);
      if ([z, lat, lon].every(Number.isFinite) && z >= 0 && z <= 22 && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
        out.view = { zoom: z, center: [lon, lat], bearing: Number.isFinite(bearing) ? bearing : 0 };
      }
    } else if (key === 'hide') {
      out.hidden = value.split(',').filter((id) => findCollection(id));
    } else if (key === 'base') {
      out.basemap = value === '1';
    } else if (key === 'sel') {
      const [collection, id] = value.split('/');
      if (findCollection(collection) && /^\d+$/.test(id)) out.selected = { collection, id: Number(id) };
    } else if (key === 'tab') {
      tab = value;
    } else if (key === 'an') {
      if (isAnalysisKind(value)) kind = value;
    } else if (key.startsWith('a.')) {
      try {
        analysisParams[key.slice(2)] = decodeURIComponent(value);
      } catch {
        // A broken escape: the parameter is left out.
      }
    } else if (key.startsWith('f.')) {
      const [, id, prop] = key.split('.');
      const c = findCollection(id);
      if (!c || !prop) continue;
      const f: LayerFilter = (out.filters[id] ??= {});
      if ((prop === 'from' || prop === 'to') && DATE.test(value)) f[prop] = value;
      const dim = filterDimensions(c).find((d) => d.property === prop);
      if (dim) {
        const allowed = new Set(dim.values.map((v) => v.value));
        (f.values ??= {})[prop] = value === '' ? [] : value.split(',').map(decodeURIComponent).filter((v) => allowed.has(v));
      }
    }
  }
  if (tab === 'analysis' && kind) {
    const names = new Set(paramNames(kind));
    out.analysis = { kind, params: Object.fromEntries(Object.entries(analysisParams).filter(([k]) => names.has(k))) };
  }
  return out;
}
