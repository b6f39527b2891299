/**
 * The layer filters a user sets, and the query strings that carry them to the server. Tiles and
 * counts use the same parameters, so what is drawn and what is counted always agree.
 */
import { COLLECTIONS, findCollection, enumProperties, type CollectionDef, type Label } from '../../../server/collections/registry';

export interface LayerFilter {
  /** Selected values per property (absent: all values). An empty list selects nothing. */
  values?: Record<string, string[]>;
  /** Inclusive calendar days YYYY-MM-DD in Asia/Shanghai (the server's reading of dates). */
  from?: string;
  to?: string;
}

export type Filters = Record<string, LayerFilter | undefined>;

/** A filterable property of a layer with its possible values and their labels. */
export interface FilterDimension {
  property: string;
  label: Label;
  values: { value: string; label: Label }[];
}

/** The properties a layer can be filtered by (the same list the server accepts). */
export function filterDimensions(c: CollectionDef): FilterDimension[] {
  const dims: FilterDimension[] = enumProperties(c).map((p) => ({
    property: p.name,
    label: p.label,
    values: p.values.map((v) => ({ value: v, label: p.valueLabels[v] })),
  }));
  if (c.knownCodes) {
    const def = c.properties.find((p) => p.name === c.knownCodes!.property)!;
    dims.push({
      property: def.name,
      label: def.label,
      values: Object.entries(c.knownCodes.labels).map(([value, label]) => ({ value, label })),
    });
  }
  return dims;
}

/** Layers with a date of their own (not just created_at) get a date-range filter. */
export function isDated(c: CollectionDef): boolean {
  return c.temporal !== 'created_at';
}

/** True when a filter selects nothing at all (some property has no value ticked). */
export function selectsNothing(filter: LayerFilter | undefined): boolean {
  return Object.values(filter?.values ?? {}).some((v) => v.length === 0);
}

/**
 * Query parameters for items and tiles, in a stable order. A property whose every value is
 * ticked is left out (same result, shorter URL, and new values stay visible).
 */
export function filterParams(collectionId: string, filter: LayerFilter | undefined): [string, string][] {
  const c = findCollection(collectionId);
  if (!c || !filter) return [];
  const out: [string, string][] = [];
  for (const dim of filterDimensions(c)) {
    const selected = filter.values?.[dim.property];
    if (!selected || selected.length === 0) continue;
    const all = dim.values.every((v) => selected.includes(v.value));
    if (all) continue;
    const ordered = dim.values.map((v) => v.value).filter((v) => selected.includes(v));
    out.push([dim.property, ordered.join(',')]);
  }
  if (isDated(c) && (filter.from || filter.to)) out.push(['datetime', `${filter.from || '..'}/${filter.to || '..'}`]);
  return out;
}

function query(params: [string, string][]): string {
  // URLSearchParams would escape the commas and slashes the server reads as separators.
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${v.split(',').map((x) => x.split('/').map(encodeURIComponent).join('/')).join(',')}`).join('&');
}

/** Tile URL template for one layer; `version` changes after a write so no stale tile is kept. */
export function tileUrl(origin: string, collectionId: string, filter: LayerFilter | undefined, version: number): string {
  const params = [...filterParams(collectionId, filter), ['v', String(version)] as [string, string]];
  return `${origin}/api/tiles/${collectionId}/{z}/{x}/{y}.mvt?${query(params)}`;
}

/** Items URL (path and query) with the layer's filters and any extra parameters. */
export function itemsPath(collectionId: string, filter: LayerFilter | undefined, extra: [string, string][] = []): string {
  const q = query([...filterParams(collectionId, filter), ...extra]);
  return `/api/collections/${collectionId}/items${q ? `?${q}` : ''}`;
}

/** Number of active filter conditions of a layer (for a badge on its row). */
export function activeFilterCount(collectionId: string, filter: LayerFilter | undefined): number {
  return filterParams(collectionId, filter).length + (selectsNothing(filter) ? 1 : 0);
}

/** The layers a user sees in the layer panel, in drawing order from top to bottom. */
export const MAP_LAYERS = [
  'findings',
  'garbage_points',
  'sanitation_facilities',
  'demolition_sites',
  'roads',
  'afforestation_plots',
  'villages',
] as const;
export type MapLayerId = (typeof MAP_LAYERS)[number];

export const ALL_COLLECTION_IDS = COLLECTIONS.map((c) => c.id);
