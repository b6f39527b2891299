/**
 * The map's sources and layers as pure functions of the options: the same options give the
 * same specs with the same ids, so MapController can diff them and touch only what changed.
 * MapLibre draws lines, polygons, labels, facilities, demolition sites and garbage clusters;
 * individual garbage points are drawn by deck.gl (see deckLayers.ts for why).
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification, FilterSpecification } from 'maplibre-gl';
import {
  GARBAGE_STATUS, ROAD_CLASS, PLOT_STATUS, DEMOLITION_STATUS, WATER, LAND, VILLAGE_LINE, HIGHLIGHT, OKABE_ITO, HOTSPOT,
} from './symbology';
import { tileUrl, selectsNothing, type Filters } from './filters';

/** Point layers are clusters up to this zoom on the server; individual points from the next one on. */
export const CLUSTER_MAX_ZOOM = 11;
export const POINTS_MIN_ZOOM = CLUSTER_MAX_ZOOM + 1;

/**
 * Fonts for labels. There is no `glyphs` URL in the style: MapLibre draws glyphs locally with
 * TinySDF from these CSS font families (and CJK from localIdeographFontFamily), so no font server
 * is called and Chinese labels need only the system's fonts.
 */
export const FONT_STACK = ['Noto Sans CJK SC', 'Noto Sans', 'sans-serif'];
export const IDEOGRAPH_FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export interface Basemap {
  tiles: string[];
  attribution: string;
}

export interface LayerOptions {
  /** Where the API is (tile URLs must be absolute). */
  origin: string;
  /** Layer id → shown. Layers not named are shown. */
  visible: Record<string, boolean>;
  filters: Filters;
  /** Collection id → version, bumped after each write to refetch that layer's tiles. */
  versions: Record<string, number>;
  /** The online raster basemap, when configured and switched on. */
  basemap: Basemap | null;
  /**
   * One label point per village. Labels of polygons cut into tiles repeat in every tile a
   * village touches; these points (from the items API) give each village exactly one label.
   */
  villageLabels?: GeoJSON.FeatureCollection<GeoJSON.Point, { name: string }>;
  /** One label point per afforestation plot (same reason), from the items API with the layer's filters. */
  plotLabels?: GeoJSON.FeatureCollection<GeoJSON.Point>;
  /** What the open analysis draws: features with `layer` = band, unit, violation, uncovered or suggested_site. */
  analysis?: GeoJSON.FeatureCollection | null;
  /** Hotspots of repeated findings (GET /api/analysis/hotspots?f=geojson), drawn with the findings layer. */
  hotspots?: GeoJSON.FeatureCollection | null;
  /** Language of the few words drawn on the map (units in analysis labels). */
  lang?: 'zh' | 'en';
}

/**
 * The one empty collection every GeoJSON source starts with. MapController compares GeoJSON data
 * by reference: a new empty object on each update would wipe what setSelection put there.
 */
export const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface MapSpec {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
}

/** The map layer ids that belong to each collection (for toggles and feature queries). */
export const LAYER_IDS = {
  roads: ['roads-casing', 'roads-line', 'roads-label'],
  villages: ['villages-fill', 'villages-line', 'villages-label'],
  waterways: ['waterways-fill', 'waterways-line', 'waterways-label'],
  afforestation_plots: ['afforestation_plots-fill', 'afforestation_plots-line', 'afforestation_plots-label'],
  demolition_sites: ['demolition_sites-fill', 'demolition_sites-line', 'demolition_sites-symbol'],
  sanitation_facilities: ['sanitation_facilities-cluster', 'sanitation_facilities-symbol'],
  garbage_points: ['garbage_points-cluster'],
  findings: ['findings-hotspot', 'findings-cluster', 'findings-symbol', 'findings-hotspot-label'],
  analysis: ['analysis-band-fill', 'analysis-band-line', 'analysis-patrol-track', 'analysis-unit', 'analysis-uncovered', 'analysis-patrol-unit', 'analysis-violation', 'analysis-suggested', 'analysis-violation-label', 'analysis-suggested-label'],
} as const satisfies Record<string, readonly string[]>;

/** Analysis features a click opens a popup for, topmost first (before any layer's feature). */
export const ANALYSIS_CLICKABLE = ['analysis-suggested', 'analysis-violation', 'analysis-uncovered', 'analysis-unit', 'analysis-patrol-unit'];

/** Layers a click can select, topmost first. */
export const CLICKABLE_LAYERS = [
  'findings-symbol',
  'findings-cluster',
  'garbage_points-cluster',
  'sanitation_facilities-cluster',
  'sanitation_facilities-symbol',
  'demolition_sites-symbol',
  'roads-line',
  'demolition_sites-fill',
  'afforestation_plots-fill',
  'villages-fill',
];

/** The layer deck.gl's garbage points are drawn beneath (they sit above roads, under symbols). */
export const DECK_BEFORE_ID = 'demolition_sites-symbol';

function vectorSource(o: LayerOptions, id: string, maxzoom = 22): SourceSpecification {
  return { type: 'vector', tiles: [tileUrl(o.origin, id, o.filters[id], o.versions[id] ?? 0)], minzoom: 0, maxzoom };
}

function visibility(o: LayerOptions, collection: string): 'visible' | 'none' {
  const shown = o.visible[collection] !== false && !selectsNothing(o.filters[collection]);
  return shown ? 'visible' : 'none';
}

/** match expression from a value → output table, with a fallback. */
function match(property: string, table: Record<string, string | number>, fallback: string | number): ExpressionSpecification {
  const pairs = Object.entries(table).flat();
  return ['match', ['get', property], ...pairs, fallback] as unknown as ExpressionSpecification;
}

const halo = { 'text-halo-color': '#FFFFFF', 'text-halo-width': 1.6 };

export function baseLayers(o: LayerOptions): MapSpec {
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': LAND } }];
  if (o.basemap) {
    sources.basemap = { type: 'raster', tiles: o.basemap.tiles, tileSize: 256, attribution: o.basemap.attribution, maxzoom: 18 };
    layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.85 } });
  }
  return { sources, layers };
}

/** Rivers, canals and ponds: context under everything, always shown. */
export function waterwaysLayers(o: LayerOptions): MapSpec {
  const source = 'waterways';
  const polygons: FilterSpecification = ['==', ['geometry-type'], 'Polygon'];
  const lines: FilterSpecification = ['==', ['geometry-type'], 'LineString'];
  return {
    sources: { [source]: vectorSource(o, source) },
    layers: [
      { id: 'waterways-fill', type: 'fill', source, 'source-layer': source, filter: polygons, paint: { 'fill-color': WATER.fill, 'fill-outline-color': WATER.line } },
      {
        id: 'waterways-line', type: 'line', source, 'source-layer': source, filter: lines,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': WATER.line,
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, match('kind', { river: 2.5, canal: 2, ditch: 0.6 }, 1), 15, match('kind', { river: 10, canal: 6, ditch: 2 }, 3)],
        },
      },
      {
        id: 'waterways-label', type: 'symbol', source, 'source-layer': source, minzoom: 10,
        filter: ['in', ['get', 'kind'], ['literal', ['river', 'canal', 'lake']]],
        layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': FONT_STACK, 'text-size': 12, 'text-letter-spacing': 0.2, 'symbol-spacing': 400 },
        paint: { 'text-color': WATER.label, ...halo },
      },
    ],
  };
}

export function villagesLayers(o: LayerOptions): MapSpec {
  const source = 'villages';
  const v = visibility(o, source);
  return {
    sources: { [source]: vectorSource(o, source), 'village-labels': { type: 'geojson', data: o.villageLabels ?? EMPTY } },
    layers: [
      // Nearly transparent: lets a click inside a village select it.
      { id: 'villages-fill', type: 'fill', source, 'source-layer': source, layout: { visibility: v }, paint: { 'fill-color': '#FFFFFF', 'fill-opacity': 0.01 } },
      {
        id: 'villages-line', type: 'line', source, 'source-layer': source, layout: { visibility: v, 'line-join': 'round' },
        paint: { 'line-color': VILLAGE_LINE, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 15, 2], 'line-dasharray': [4, 2], 'line-opacity': 0.75 },
      },
      {
        id: 'villages-label', type: 'symbol', source: 'village-labels',
        layout: { visibility: v, 'text-field': ['get', 'name'], 'text-font': FONT_STACK, 'text-size': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 16], 'text-padding': 6 },
        paint: { 'text-color': '#3A3A3A', ...halo },
      },
    ],
  };
}

export function plotsLayers(o: LayerOptions): MapSpec {
  const source = 'afforestation_plots';
  const v = visibility(o, source);
  const share: ExpressionSpecification = ['case',
    ['>', ['coalesce', ['get', 'planned_mu'], 0], 0],
    ['concat', ['to-string', ['round', ['*', 100, ['/', ['coalesce', ['get', 'planted_mu'], 0], ['get', 'planned_mu']]]]], '%'],
    ''];
  return {
    sources: { [source]: vectorSource(o, source), 'plot-labels': { type: 'geojson', data: o.plotLabels ?? EMPTY } },
    layers: [
      {
        id: 'afforestation_plots-fill', type: 'fill', source, 'source-layer': source, layout: { visibility: v },
        paint: { 'fill-pattern': ['concat', 'plot-', ['coalesce', ['get', 'status'], 'planned']] },
      },
      {
        id: 'afforestation_plots-line', type: 'line', source, 'source-layer': source, layout: { visibility: v },
        paint: { 'line-color': match('status', Object.fromEntries(Object.entries(PLOT_STATUS).map(([k, s]) => [k, s.color])), OKABE_ITO.sky), 'line-width': 1.5 },
      },
      {
        id: 'afforestation_plots-label', type: 'symbol', source: 'plot-labels', minzoom: 14,
        layout: {
          visibility: v,
          'text-field': ['format', ['get', 'plot_code'], {}, '\n', {}, share, { 'font-scale': 0.85 },
            ['case', ['has', 'survival_pct'], ['concat', o.lang === 'en' ? ' · survival ' : ' · 成活', ['to-string', ['get', 'survival_pct']], '%'], ''],
            { 'font-scale': 0.85, 'text-color': ['case', ['==', ['get', 'survival_outcome'], 'pass'], '#1E4D2B', '#B34100'] }],
          'text-font': FONT_STACK, 'text-size': 11, 'text-padding': 4,
        },
        paint: { 'text-color': '#1E4D2B', ...halo },
      },
    ],
  };
}

export function roadsLayers(o: LayerOptions): MapSpec {
  const source = 'roads';
  const v = visibility(o, source);
  const classWidth = match('class', Object.fromEntries(Object.entries(ROAD_CLASS).map(([k, s]) => [k, s.width])), 2);
  // Line width grows with zoom; the casing is the same line 2 px wider on each side.
  const width = (extra: number): ExpressionSpecification => ['interpolate', ['exponential', 1.5], ['zoom'],
    9, ['+', extra, ['*', 0.5, classWidth]],
    16, ['+', extra, ['*', 2.2, classWidth]]];
  const notVillage: FilterSpecification = ['!=', ['get', 'class'], 'village'];
  return {
    sources: { [source]: vectorSource(o, source) },
    layers: [
      {
        id: 'roads-casing', type: 'line', source, 'source-layer': source, filter: notVillage,
        layout: { visibility: v, 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#FFFFFF', 'line-width': width(2.5) },
      },
      {
        id: 'roads-line', type: 'line', source, 'source-layer': source,
        layout: { visibility: v, 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': match('class', Object.fromEntries(Object.entries(ROAD_CLASS).map(([k, s]) => [k, s.color])), '#777777'),
          'line-width': width(0),
          // Village roads are dashed: class is told by width and dash as well as colour.
          'line-dasharray': ['case', ['==', ['get', 'class'], 'village'], ['literal', ROAD_CLASS.village.dash!], ['literal', [1, 0]]] as unknown as ExpressionSpecification,
        },
      },
      {
        id: 'roads-label', type: 'symbol', source, 'source-layer': source,
        layout: {
          visibility: v, 'symbol-placement': 'line', 'symbol-spacing': 260, 'text-field': ['get', 'code'], 'text-font': FONT_STACK,
          'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11, 16, 14], 'text-rotation-alignment': 'map', 'text-keep-upright': true,
        },
        paint: { 'text-color': match('class', { national: '#8A3300', provincial: '#7A5200', county: '#004A75', township: '#00573F' }, '#333333'), ...halo },
      },
    ],
  };
}

export function demolitionLayers(o: LayerOptions): MapSpec {
  const source = 'demolition_sites';
  const v = visibility(o, source);
  const statusColor = match('status', Object.fromEntries(Object.entries(DEMOLITION_STATUS).map(([k, s]) => [k, s.color])), OKABE_ITO.grey);
  return {
    sources: { [source]: vectorSource(o, source) },
    layers: [
      { id: 'demolition_sites-fill', type: 'fill', source, 'source-layer': source, filter: ['==', ['geometry-type'], 'Polygon'], layout: { visibility: v }, paint: { 'fill-color': statusColor, 'fill-opacity': 0.3 } },
      { id: 'demolition_sites-line', type: 'line', source, 'source-layer': source, filter: ['==', ['geometry-type'], 'Polygon'], layout: { visibility: v }, paint: { 'line-color': statusColor, 'line-width': 1.5 } },
      {
        // Points and polygons alike get the kind/status symbol (polygons at their label point).
        id: 'demolition_sites-symbol', type: 'symbol', source, 'source-layer': source,
        layout: {
          visibility: v,
          'icon-image': ['concat', 'demolition-', ['coalesce', ['get', 'kind'], 'other'], '-', ['coalesce', ['get', 'status'], 'identified']],
          'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 0.6, 15, 1],
          'icon-allow-overlap': true, 'icon-ignore-placement': true,
        },
      },
    ],
  };
}

/** Count label shown on cluster symbols: 1.2k style above a thousand. */
const countLabel: ExpressionSpecification = ['case',
  ['>=', ['get', 'point_count'], 1000], ['concat', ['to-string', ['/', ['round', ['/', ['get', 'point_count'], 100]], 10]], 'k'],
  ['>', ['get', 'point_count'], 1], ['to-string', ['get', 'point_count']],
  ''];

/** Symbol size grows with the logarithm of the cluster's point count. */
const clusterSize: ExpressionSpecification = ['interpolate', ['linear'], ['ln', ['max', 1, ['coalesce', ['get', 'point_count'], 1]]], 0, 0.5, 7, 1.15];

export function facilitiesLayers(o: LayerOptions): MapSpec {
  const source = 'sanitation_facilities';
  const v = visibility(o, source);
  return {
    sources: { [source]: vectorSource(o, source) },
    layers: [
      {
        id: 'sanitation_facilities-cluster', type: 'symbol', source, 'source-layer': source, maxzoom: POINTS_MIN_ZOOM,
        layout: {
          visibility: v, 'icon-image': ['concat', 'facility-cluster-', ['coalesce', ['get', 'kind'], 'bin']], 'icon-size': clusterSize,
          'icon-allow-overlap': true, 'text-field': countLabel, 'text-font': FONT_STACK, 'text-size': 10, 'text-offset': [0, 1.25], 'text-optional': true,
        },
        paint: { 'text-color': '#1F2F3F', ...halo },
      },
      {
        id: 'sanitation_facilities-symbol', type: 'symbol', source, 'source-layer': source, minzoom: POINTS_MIN_ZOOM,
        layout: {
          visibility: v,
          'icon-image': ['concat', 'facility-', ['coalesce', ['get', 'kind'], 'bin'], '-', ['coalesce', ['get', 'condition'], 'good']],
          'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.65, 16, 1], 'icon-allow-overlap': true, 'icon-ignore-placement': true,
        },
      },
    ],
  };
}

/**
 * Garbage clusters (z ≤ 11): few features per tile, with count labels that need collision
 * handling, which MapLibre does well. Individual points (z ≥ 12) are drawn by deck.gl.
 */
export function garbageClusterLayers(o: LayerOptions): MapSpec {
  const source = 'garbage_points';
  const v = visibility(o, source);
  return {
    // maxzoom 11: MapLibre never asks for the point tiles that deck.gl draws.
    sources: { [source]: vectorSource(o, source, CLUSTER_MAX_ZOOM) },
    layers: [
      {
        id: 'garbage_points-cluster', type: 'symbol', source, 'source-layer': source, maxzoom: POINTS_MIN_ZOOM,
        layout: {
          visibility: v, 'icon-image': ['concat', 'garbage-', ['coalesce', ['get', 'status'], 'reported']], 'icon-size': clusterSize,
          'icon-allow-overlap': true, 'text-field': countLabel, 'text-font': FONT_STACK, 'text-size': 10, 'text-offset': [0, 1.3], 'text-optional': true,
          'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'point_count'], 1]],
        },
        paint: { 'text-color': '#3B1A00', ...halo },
      },
    ],
  };
}

/**
 * Findings: clusters with counts up to z11, one symbol per finding (status by shape and colour)
 * from z12; hotspots of repeats as rings under them with their count.
 */
export function findingsLayers(o: LayerOptions): MapSpec {
  const source = 'findings';
  const v = visibility(o, source);
  return {
    sources: { [source]: vectorSource(o, source), 'finding-hotspots': { type: 'geojson', data: o.hotspots ?? EMPTY } },
    layers: [
      {
        id: 'findings-hotspot', type: 'circle', source: 'finding-hotspots', layout: { visibility: v },
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 10, 14, ['+', 14, ['*', 2, ['get', 'count']]], 18, ['+', 30, ['*', 4, ['get', 'count']]]],
          'circle-color': HOTSPOT.fill, 'circle-stroke-color': HOTSPOT.color, 'circle-stroke-width': 2.5,
        },
      },
      {
        id: 'findings-cluster', type: 'symbol', source, 'source-layer': source, maxzoom: POINTS_MIN_ZOOM,
        layout: {
          visibility: v, 'icon-image': ['concat', 'finding-', ['coalesce', ['get', 'status'], 'open']], 'icon-size': clusterSize,
          'icon-allow-overlap': true, 'text-field': countLabel, 'text-font': FONT_STACK, 'text-size': 10, 'text-offset': [0, 1.3], 'text-optional': true,
        },
        paint: { 'text-color': '#5A1E00', ...halo },
      },
      {
        id: 'findings-symbol', type: 'symbol', source, 'source-layer': source, minzoom: POINTS_MIN_ZOOM,
        layout: {
          visibility: v, 'icon-image': ['concat', 'finding-', ['coalesce', ['get', 'status'], 'open']],
          'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.7, 16, 1.05], 'icon-allow-overlap': true, 'icon-ignore-placement': true,
        },
      },
      {
        id: 'findings-hotspot-label', type: 'symbol', source: 'finding-hotspots', minzoom: 12,
        layout: {
          visibility: v, 'text-field': ['concat', '×', ['to-string', ['get', 'count']]], 'text-font': FONT_STACK, 'text-size': 12,
          'text-offset': [0, -2.8], 'text-allow-overlap': true,
        },
        paint: { 'text-color': HOTSPOT.color, ...halo },
      },
    ],
  };
}

/** Colours of the analysis overlay (Okabe–Ito; each state also differs by dash or shape). */
export const ANALYSIS_STYLE = {
  band: OKABE_ITO.purple,
  complies: OKABE_ITO.green,
  violates: OKABE_ITO.vermillion,
  uncovered: OKABE_ITO.vermillion,
  suggested: OKABE_ITO.blue,
  patrolCovered: OKABE_ITO.green,
  patrolEarlier: OKABE_ITO.orange,
  patrolNever: OKABE_ITO.vermillion,
  patrolTrack: OKABE_ITO.sky,
} as const;

const layerIs = (name: string): FilterSpecification => ['==', ['get', 'layer'], name];

/**
 * The open analysis on the map, from one GeoJSON source: the setback band under the roads; units
 * (solid green when they comply, dashed vermillion when not), uncovered stretches and rings
 * around violating structures over the roads; labels (distance and stake, site rank) on top.
 */
export function analysisLayers(o: LayerOptions): { below: MapSpec; over: MapSpec; labels: MapSpec } {
  const source = 'analysis';
  const metres = o.lang === 'en' ? ' m' : ' 米';
  const lineWidth: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 9];
  return {
    below: {
      sources: { [source]: { type: 'geojson', data: o.analysis ?? EMPTY } },
      layers: [
        { id: 'analysis-band-fill', type: 'fill', source, filter: layerIs('band'), paint: { 'fill-color': ANALYSIS_STYLE.band, 'fill-opacity': 0.22 } },
        { id: 'analysis-band-line', type: 'line', source, filter: layerIs('band'), paint: { 'line-color': ANALYSIS_STYLE.band, 'line-width': 1.2, 'line-dasharray': [3, 2] } },
        // Patrol tracks of the month, thin, under the roads' units.
        { id: 'analysis-patrol-track', type: 'line', source, filter: layerIs('patrol_track'), paint: { 'line-color': ANALYSIS_STYLE.patrolTrack, 'line-width': 1.5, 'line-opacity': 0.8 } },
      ],
    },
    over: {
      sources: {},
      layers: [
        {
          id: 'analysis-unit', type: 'line', source, filter: layerIs('unit'), layout: { 'line-cap': 'butt' },
          paint: {
            'line-color': ['case', ['get', 'complies'], ANALYSIS_STYLE.complies, ANALYSIS_STYLE.violates],
            'line-width': lineWidth,
            'line-opacity': 0.85,
            'line-dasharray': ['case', ['get', 'complies'], ['literal', [1, 0]], ['literal', [1.2, 0.8]]] as unknown as ExpressionSpecification,
          },
        },
        {
          id: 'analysis-uncovered', type: 'line', source, filter: layerIs('uncovered'), layout: { 'line-cap': 'butt' },
          paint: { 'line-color': ANALYSIS_STYLE.uncovered, 'line-width': lineWidth, 'line-opacity': 0.85, 'line-dasharray': [1.2, 0.8] },
        },
        {
          // Patrol coverage: solid green this month, dashed orange only before, dotted vermillion never.
          id: 'analysis-patrol-unit', type: 'line', source, filter: layerIs('patrol_unit'), layout: { 'line-cap': 'butt' },
          paint: {
            'line-color': ['match', ['get', 'status'], 'covered', ANALYSIS_STYLE.patrolCovered, 'earlier', ANALYSIS_STYLE.patrolEarlier, ANALYSIS_STYLE.patrolNever],
            'line-width': lineWidth,
            'line-opacity': 0.85,
            'line-dasharray': ['match', ['get', 'status'], 'covered', ['literal', [1, 0]], 'earlier', ['literal', [1.2, 0.8]], ['literal', [0.4, 0.6]]] as unknown as ExpressionSpecification,
          },
        },
        {
          // A ring around each violating structure (its own symbol stays visible inside).
          id: 'analysis-violation', type: 'circle', source, filter: layerIs('violation'),
          paint: {
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 8, 16, 16],
            'circle-color': 'rgba(213, 94, 0, 0.18)',
            'circle-stroke-color': ANALYSIS_STYLE.violates,
            'circle-stroke-width': 3,
          },
        },
        {
          // The findings of an open rectification notice (整改通知), numbered as on the notice.
          id: 'analysis-notice-finding', type: 'circle', source, filter: layerIs('notice_finding'),
          paint: { 'circle-radius': 10, 'circle-color': ANALYSIS_STYLE.violates, 'circle-stroke-color': '#FFFFFF', 'circle-stroke-width': 2 },
        },
        {
          id: 'analysis-suggested', type: 'circle', source, filter: layerIs('suggested_site'),
          paint: { 'circle-radius': 10, 'circle-color': '#FFFFFF', 'circle-stroke-color': ANALYSIS_STYLE.suggested, 'circle-stroke-width': 3 },
        },
      ],
    },
    labels: {
      sources: {},
      layers: [
        {
          id: 'analysis-violation-label', type: 'symbol', source, filter: layerIs('violation'), minzoom: 12,
          layout: {
            'text-field': ['concat', ['to-string', ['get', 'distance_m']], metres, ' · ', ['get', 'stake']],
            'text-font': FONT_STACK, 'text-size': 11, 'text-offset': [0, 1.6], 'text-anchor': 'top', 'text-optional': true,
          },
          paint: { 'text-color': '#8A2B00', ...halo },
        },
        {
          id: 'analysis-notice-finding-label', type: 'symbol', source, filter: layerIs('notice_finding'),
          layout: { 'text-field': ['get', 'label'], 'text-font': FONT_STACK, 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
          paint: { 'text-color': '#FFFFFF' },
        },
        {
          id: 'analysis-suggested-label', type: 'symbol', source, filter: layerIs('suggested_site'),
          layout: { 'text-field': ['to-string', ['get', 'rank']], 'text-font': FONT_STACK, 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
          paint: { 'text-color': ANALYSIS_STYLE.suggested },
        },
      ],
    },
  };
}

/** The selected feature, outlined above everything (a GeoJSON source set by MapController). */
export function selectionLayers(): MapSpec {
  const source = 'selection';
  return {
    sources: { [source]: { type: 'geojson', data: EMPTY } },
    layers: [
      { id: 'selection-fill', type: 'fill', source, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#FFD84D', 'fill-opacity': 0.25 } },
      { id: 'selection-line', type: 'line', source, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': HIGHLIGHT, 'line-width': 3, 'line-dasharray': [2, 1] } },
      { id: 'selection-point', type: 'circle', source, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': HIGHLIGHT, 'circle-stroke-width': 2.5 } },
    ],
  };
}

function merge(...specs: MapSpec[]): MapSpec {
  return { sources: Object.assign({}, ...specs.map((s) => s.sources)), layers: specs.flatMap((s) => s.layers) };
}

/** Every source and layer, bottom to top. */
export function mapSpec(o: LayerOptions): MapSpec {
  const analysis = analysisLayers(o);
  const s = merge(
    baseLayers(o),
    waterwaysLayers(o),
    villagesLayers(o),
    plotsLayers(o),
    analysis.below,
    roadsLayers(o),
    analysis.over,
    demolitionLayers(o),
    facilitiesLayers(o),
    garbageClusterLayers(o),
    findingsLayers(o),
    selectionLayers(),
    analysis.labels,
  );
  // Labels go above all symbols so codes and names are never hidden under icons.
  const isLabel = (l: LayerSpecification) => l.id.endsWith('-label');
  return { sources: s.sources, layers: [...s.layers.filter((l) => !isLabel(l)), ...s.layers.filter(isLabel)] };
}

/** Colour of a garbage status, for deck.gl and tests. */
export function garbageColor(status: string): string {
  return GARBAGE_STATUS[status]?.color ?? OKABE_ITO.grey;
}
