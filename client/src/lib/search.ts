/**
 * Search over road codes and names, village names and plot codes, and road stakes such as
 * "S225 K3+200" (kilometre 3, 200 m along the road from its first vertex). Pure functions.
 */
import { length as turfLength, along, bbox as turfBbox, lineString } from '@turf/turf';
import type { Item } from '../api/types';

export interface SearchIndex {
  roads: Item[];
  villages: Item[];
  afforestation_plots: Item[];
}

export type SearchResult =
  | { kind: 'feature'; collection: keyof SearchIndex; id: number; title: string; subtitle?: string; bbox: [number, number, number, number] }
  | { kind: 'stake'; roadId: number; code: string; stake: string; stake_m: number; point?: [number, number]; length_m: number };

/** Parses "S225 K3+200", "s225k3+200" or "S225 K3" into a code and metres along the road. */
export function parseStake(q: string): { code: string; stake_m: number; text: string } | null {
  const m = /^\s*([A-Za-z]\d{1,4}|[^\sKk+]+?)\s*[Kk](\d{1,4})(?:\s*\+\s*(\d{1,3}(?:\.\d+)?))?\s*$/.exec(q);
  if (!m) return null;
  const km = Number(m[2]);
  const metres = m[3] ? Number(m[3]) : 0;
  if (metres >= 1000) return null;
  const stake_m = km * 1000 + metres;
  return { code: m[1].toUpperCase(), stake_m, text: formatStake(stake_m) };
}

export function formatStake(m: number): string {
  const km = Math.floor(m / 1000);
  return `K${km}+${String(Math.round(m - km * 1000)).padStart(3, '0')}`;
}

/** One line through a road's parts in order (parts of a MultiLineString joined end to start). */
function roadLine(g: GeoJSON.Geometry): GeoJSON.Feature<GeoJSON.LineString> | null {
  if (g.type === 'LineString') return lineString(g.coordinates);
  if (g.type === 'MultiLineString') return lineString(g.coordinates.flat());
  return null;
}

/** The point at a stake of a road, or none when the road is shorter. */
export function stakePoint(road: Item, stake_m: number): { point?: [number, number]; length_m: number } {
  const line = roadLine(road.geometry);
  if (!line) return { length_m: 0 };
  const length_m = turfLength(line, { units: 'kilometers' }) * 1000;
  if (stake_m > length_m + 0.5) return { length_m };
  const p = along(line, Math.min(stake_m, length_m) / 1000, { units: 'kilometers' });
  return { point: p.geometry.coordinates as [number, number], length_m };
}

function bboxOf(item: Item): [number, number, number, number] {
  return turfBbox(item.geometry as GeoJSON.Geometry) as [number, number, number, number];
}

const norm = (s: unknown) => String(s ?? '').toLowerCase().replace(/\s+/g, '');

export function search(q: string, index: SearchIndex, max = 8): SearchResult[] {
  const query = norm(q);
  if (!query) return [];
  const stake = parseStake(q);
  const out: SearchResult[] = [];
  if (stake) {
    for (const road of index.roads) {
      if (norm(road.properties.code) !== norm(stake.code) && norm(road.properties.name) !== norm(stake.code)) continue;
      const { point, length_m } = stakePoint(road, stake.stake_m);
      out.push({ kind: 'stake', roadId: road.id, code: String(road.properties.code), stake: stake.text, stake_m: stake.stake_m, point, length_m });
    }
  }
  const scored: { score: number; r: SearchResult }[] = [];
  const consider = (collection: keyof SearchIndex, item: Item, fields: unknown[], title: string, subtitle?: string) => {
    let best = Infinity;
    for (const f of fields) {
      const text = norm(f);
      if (!text) continue;
      if (text === query) best = Math.min(best, 0);
      else if (text.startsWith(query)) best = Math.min(best, 1);
      else if (text.includes(query)) best = Math.min(best, 2);
    }
    if (best < Infinity) scored.push({ score: best, r: { kind: 'feature', collection, id: item.id, title, subtitle, bbox: bboxOf(item) } });
  };
  for (const r of index.roads) consider('roads', r, [r.properties.code, r.properties.name], `${r.properties.code}`, r.properties.name !== r.properties.code ? String(r.properties.name) : undefined);
  for (const v of index.villages) consider('villages', v, [v.properties.name], String(v.properties.name), v.properties.township ? String(v.properties.township) : undefined);
  for (const p of index.afforestation_plots) consider('afforestation_plots', p, [p.properties.plot_code], String(p.properties.plot_code), [p.properties.village, p.properties.species].filter(Boolean).join(' · ') || undefined);
  scored.sort((a, b) => a.score - b.score || a.r.kind.localeCompare(b.r.kind));
  return [...out, ...scored.map((s) => s.r)].slice(0, max);
}
