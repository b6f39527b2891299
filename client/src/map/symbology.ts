/**
 * What each layer's features look like, as data: colour, shape and pattern for every value of the
 * property that styles the layer. The map's layer specs, the deck.gl atlas and the legend are all
 * built from this one table, so the legend shows exactly what is drawn.
 *
 * Colours are the Okabe–Ito palette (readable with the common colour-vision deficiencies), and
 * every status or kind is also told apart by shape (points) or fill pattern (polygons), so colour
 * is never the only cue.
 */

export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  grey: '#8C8C8C',
} as const;

export type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'hexagon' | 'star' | 'house' | 'pentagon';
export type Pattern = 'solid' | 'hatch' | 'dots' | 'crosshatch';

/** A point symbol: filled shape with a white halo; hollow ones are drawn as a thick outline. */
export interface PointSymbol {
  shape: Shape;
  color: string;
  hollow?: boolean;
  /**
   * An inner mark that tells the point layers apart whatever the colour: facilities carry a
   * white dot, demolition sites a white cross, garbage points none.
   */
  mark?: 'dot' | 'cross' | 'bang';
}

export interface FillSymbol {
  color: string;
  pattern: Pattern;
}

export interface LineSymbol {
  color: string;
  width: number;
  dash?: number[];
}

/** Garbage points: status by colour and shape (reported is the loudest). */
export const GARBAGE_STATUS: Record<string, PointSymbol> = {
  reported: { shape: 'triangle', color: OKABE_ITO.vermillion },
  assigned: { shape: 'diamond', color: OKABE_ITO.orange },
  cleared: { shape: 'square', color: OKABE_ITO.blue },
  verified: { shape: 'circle', color: OKABE_ITO.green },
};

/** Sanitation facilities: kind by shape, condition by colour (missing ones hollow). */
export const FACILITY_KIND: Record<string, Shape> = {
  garbage_pool: 'square',
  bin: 'circle',
  transfer_station: 'hexagon',
  tricycle_depot: 'star',
};
export const FACILITY_CONDITION: Record<string, { color: string; hollow?: boolean }> = {
  good: { color: OKABE_ITO.green },
  damaged: { color: OKABE_ITO.orange },
  missing: { color: OKABE_ITO.vermillion, hollow: true },
};

/** Demolition sites: kind by shape, status by colour (exempt ones hollow). */
export const DEMOLITION_KIND: Record<string, Shape> = {
  pig_pen: 'pentagon',
  dry_toilet: 'square',
  shed: 'triangle',
  illegal_building: 'house',
  other: 'diamond',
};
export const DEMOLITION_STATUS: Record<string, { color: string; hollow?: boolean }> = {
  identified: { color: OKABE_ITO.vermillion },
  marked: { color: OKABE_ITO.orange },
  notice_issued: { color: OKABE_ITO.purple },
  demolished: { color: OKABE_ITO.green },
  exempt: { color: OKABE_ITO.grey, hollow: true },
};

/** Findings (巡查问题): status by shape and colour, all with a white "!" (converted ones hollow). */
export const FINDING_STATUS: Record<string, PointSymbol> = {
  open: { shape: 'triangle', color: OKABE_ITO.vermillion, mark: 'bang' },
  notice_issued: { shape: 'diamond', color: OKABE_ITO.purple, mark: 'bang' },
  reported_fixed: { shape: 'square', color: OKABE_ITO.sky, mark: 'bang' },
  verified: { shape: 'circle', color: OKABE_ITO.green, mark: 'bang' },
  converted: { shape: 'hexagon', color: OKABE_ITO.grey, hollow: true, mark: 'bang' },
};
/** Hotspots of repeated findings: a ring sized by the cluster, with its count. */
export const HOTSPOT = { color: OKABE_ITO.vermillion, fill: 'rgba(213, 94, 0, 0.14)' };

/** Afforestation plots: status by colour and fill pattern. */
export const PLOT_STATUS: Record<string, FillSymbol> = {
  planned: { color: OKABE_ITO.sky, pattern: 'hatch' },
  in_progress: { color: OKABE_ITO.orange, pattern: 'dots' },
  planted: { color: OKABE_ITO.green, pattern: 'solid' },
  replant_needed: { color: OKABE_ITO.vermillion, pattern: 'crosshatch' },
};

/** Roads: class by colour and width; village roads dashed. */
export const ROAD_CLASS: Record<string, LineSymbol> = {
  national: { color: OKABE_ITO.vermillion, width: 5 },
  provincial: { color: OKABE_ITO.orange, width: 4.5 },
  county: { color: OKABE_ITO.blue, width: 3.5 },
  township: { color: OKABE_ITO.green, width: 3 },
  village: { color: '#6E6E6E', width: 2, dash: [2, 1.5] },
};

export const WATER = { fill: '#BFDCF0', line: '#7FB5DD', label: '#2E6B9A' };
export const LAND = '#F3F2EC';
export const VILLAGE_LINE = '#5B5B5B';
export const HIGHLIGHT = '#1F1F1F';

/** Image ids registered with map.addImage (and used as deck.gl atlas keys). */
export const iconId = {
  garbage: (status: string) => `garbage-${status}`,
  facility: (kind: string, condition: string) => `facility-${kind}-${condition}`,
  demolition: (kind: string, status: string) => `demolition-${kind}-${status}`,
  plotPattern: (status: string) => `plot-${status}`,
  finding: (status: string) => `finding-${status}`,
};

/** Every point icon the map needs, with how to draw it. */
export function allPointIcons(): { id: string; symbol: PointSymbol }[] {
  const out: { id: string; symbol: PointSymbol }[] = [];
  for (const [status, s] of Object.entries(GARBAGE_STATUS)) out.push({ id: iconId.garbage(status), symbol: s });
  for (const [kind, shape] of Object.entries(FACILITY_KIND)) {
    for (const [condition, c] of Object.entries(FACILITY_CONDITION)) out.push({ id: iconId.facility(kind, condition), symbol: { shape, ...c, mark: 'dot' } });
  }
  for (const [status, s] of Object.entries(FINDING_STATUS)) out.push({ id: iconId.finding(status), symbol: s });
  for (const [kind, shape] of Object.entries(DEMOLITION_KIND)) {
    for (const [status, c] of Object.entries(DEMOLITION_STATUS)) out.push({ id: iconId.demolition(kind, status), symbol: { shape, ...c, mark: 'cross' } });
  }
  return out;
}

export function allFillPatterns(): { id: string; symbol: FillSymbol }[] {
  return Object.entries(PLOT_STATUS).map(([status, symbol]) => ({ id: iconId.plotPattern(status), symbol }));
}

/** Clusters of facilities carry the most frequent kind but no condition: drawn in a neutral colour. */
export const CLUSTER_NEUTRAL = '#4D6B88';
export const facilityClusterIcon = (kind: string) => `facility-cluster-${kind}`;

export function clusterIcons(): { id: string; symbol: PointSymbol }[] {
  return Object.entries(FACILITY_KIND).map(([kind, shape]) => ({ id: facilityClusterIcon(kind), symbol: { shape, color: CLUSTER_NEUTRAL, mark: 'dot' } }));
}
