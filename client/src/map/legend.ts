/**
 * Legend entries per layer, built from the same symbology table the map is drawn from.
 * Pure data: the LayerLegend component turns symbols into images with symbols.ts.
 */
import { findCollection, type Label } from '../../../server/collections/registry';
import type { MessageKey } from '../i18n/catalog';
import {
  DEMOLITION_KIND, DEMOLITION_STATUS, FACILITY_CONDITION, FACILITY_KIND, GARBAGE_STATUS, PLOT_STATUS, ROAD_CLASS, VILLAGE_LINE,
  CLUSTER_NEUTRAL, FINDING_STATUS, HOTSPOT, type FillSymbol, type LineSymbol, type PointSymbol,
} from './symbology';

export type LegendSymbol =
  | { type: 'point'; symbol: PointSymbol }
  | { type: 'fill'; symbol: FillSymbol }
  | { type: 'line'; symbol: LineSymbol };

export interface LegendItem {
  symbol: LegendSymbol;
  label: Label;
}

export interface LegendGroup {
  /** A heading from the catalogue with the property's label as {{property}}. */
  heading?: { key: MessageKey; property: Label };
  items: LegendItem[];
}

export interface LegendNote {
  key: MessageKey;
  property?: Label;
  value?: Label;
}

export interface Legend {
  groups: LegendGroup[];
  notes: LegendNote[];
}

function valueLabel(collection: string, property: string, value: string): Label {
  const c = findCollection(collection)!;
  const def = c.properties.find((p) => p.name === property);
  if (def?.type === 'enum') return def.valueLabels[value] ?? { zh: value, en: value };
  return { zh: value, en: value };
}

function propertyLabel(collection: string, property: string): Label {
  return findCollection(collection)!.properties.find((p) => p.name === property)!.label;
}

export function legendFor(collection: string): Legend {
  switch (collection) {
    case 'garbage_points':
      return {
        groups: [{ items: Object.entries(GARBAGE_STATUS).map(([v, symbol]) => ({ symbol: { type: 'point', symbol }, label: valueLabel(collection, 'status', v) })) }],
        notes: [{ key: 'legend.cluster', property: propertyLabel(collection, 'status') }],
      };
    case 'findings':
      return {
        groups: [
          { items: Object.entries(FINDING_STATUS).map(([v, symbol]) => ({ symbol: { type: 'point', symbol }, label: valueLabel(collection, 'status', v) })) },
          { items: [{ symbol: { type: 'point', symbol: { shape: 'circle', color: HOTSPOT.color, hollow: true } }, label: { zh: '重复问题热点（20 米内 3 次以上）', en: 'Hotspot (3+ within 20 m)' } }] },
        ],
        notes: [{ key: 'legend.cluster', property: propertyLabel(collection, 'status') }],
      };
    case 'sanitation_facilities':
      return {
        groups: [
          {
            heading: { key: 'legend.shapeIs', property: propertyLabel(collection, 'kind') },
            items: Object.entries(FACILITY_KIND).map(([v, shape]) => ({ symbol: { type: 'point', symbol: { shape, ...FACILITY_CONDITION.good, mark: 'dot' } }, label: valueLabel(collection, 'kind', v) })),
          },
          {
            heading: { key: 'legend.colourIs', property: propertyLabel(collection, 'condition') },
            items: Object.entries(FACILITY_CONDITION).map(([v, c]) => ({ symbol: { type: 'point', symbol: { shape: 'circle', ...c, mark: 'dot' } }, label: valueLabel(collection, 'condition', v) })),
          },
          { items: [{ symbol: { type: 'point', symbol: { shape: 'square', color: CLUSTER_NEUTRAL, mark: 'dot' } }, label: { zh: '聚合', en: 'Cluster' } }] },
        ],
        notes: [{ key: 'legend.cluster', property: propertyLabel(collection, 'kind') }],
      };
    case 'demolition_sites':
      return {
        groups: [
          {
            heading: { key: 'legend.shapeIs', property: propertyLabel(collection, 'kind') },
            items: Object.entries(DEMOLITION_KIND).map(([v, shape]) => ({ symbol: { type: 'point', symbol: { shape, ...DEMOLITION_STATUS.identified, mark: 'cross' } }, label: valueLabel(collection, 'kind', v) })),
          },
          {
            heading: { key: 'legend.colourIs', property: propertyLabel(collection, 'status') },
            items: Object.entries(DEMOLITION_STATUS).map(([v, c]) => ({ symbol: { type: 'point', symbol: { shape: 'pentagon', ...c, mark: 'cross' } }, label: valueLabel(collection, 'status', v) })),
          },
        ],
        notes: [{ key: 'legend.polygonSite' }],
      };
    case 'afforestation_plots':
      return {
        groups: [{ items: Object.entries(PLOT_STATUS).map(([v, symbol]) => ({ symbol: { type: 'fill', symbol }, label: valueLabel(collection, 'status', v) })) }],
        notes: [{ key: 'legend.plotLabel' }],
      };
    case 'roads':
      return {
        groups: [{ items: Object.entries(ROAD_CLASS).map(([v, symbol]) => ({ symbol: { type: 'line', symbol }, label: valueLabel(collection, 'class', v) })) }],
        notes: [{ key: 'legend.roadLabel' }],
      };
    case 'villages':
      return {
        groups: [{ items: [{ symbol: { type: 'line', symbol: { color: VILLAGE_LINE, width: 1.5, dash: [4, 2] } }, label: { zh: '村界', en: 'Village boundary' } }] }],
        notes: [],
      };
    default:
      return { groups: [], notes: [] };
  }
}
