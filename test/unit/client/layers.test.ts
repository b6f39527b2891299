import { describe, it, expect } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { mapSpec, LAYER_IDS, CLICKABLE_LAYERS, DECK_BEFORE_ID, type LayerOptions } from '../../../client/src/map/layers';
import { garbageDeckProps, GARBAGE_DECK_LAYER_ID } from '../../../client/src/map/deckLayers';
import { allPointIcons, allFillPatterns, clusterIcons, GARBAGE_STATUS, FACILITY_KIND, FACILITY_CONDITION, DEMOLITION_KIND, DEMOLITION_STATUS, PLOT_STATUS, ROAD_CLASS } from '../../../client/src/map/symbology';
import { legendFor } from '../../../client/src/map/legend';
import { findCollection, enumProperties } from '../../../server/collections/registry';

const base: LayerOptions = { origin: 'http://127.0.0.1:8080', visible: {}, filters: {}, versions: {}, basemap: null };

describe('map layer specs', () => {
  it('form a valid MapLibre style with no glyphs or sprite URL (nothing fetched from outside)', () => {
    const spec = mapSpec(base);
    const style = { version: 8 as const, sources: spec.sources, layers: spec.layers };
    expect(validateStyleMin(style)).toEqual([]);
    expect(style).not.toHaveProperty('glyphs');
    expect(JSON.stringify(style)).not.toMatch(/https?:\/\/(?!127\.0\.0\.1:8080)/);
  });

  it('are the same for the same options, with stable ids', () => {
    expect(mapSpec(base)).toEqual(mapSpec({ ...base }));
    const ids = mapSpec(base).layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const group of Object.values(LAYER_IDS)) for (const id of group) expect(ids).toContain(id);
    for (const id of CLICKABLE_LAYERS) expect(ids).toContain(id);
    expect(ids).toContain(DECK_BEFORE_ID);
    // A filter change touches only the source URL of its own layer.
    const filtered = mapSpec({ ...base, filters: { garbage_points: { values: { status: ['reported'] } } } });
    expect(filtered.layers.map((l) => l.id)).toEqual(ids);
    expect(filtered.sources.roads).toEqual(mapSpec(base).sources.roads);
    expect((filtered.sources.garbage_points as { tiles: string[] }).tiles[0]).toBe('http://127.0.0.1:8080/api/tiles/garbage_points/{z}/{x}/{y}.mvt?status=reported&v=0');
  });

  it('draw labels above every other layer and the background first', () => {
    const layers = mapSpec(base).layers;
    expect(layers[0].id).toBe('background');
    const firstLabel = layers.findIndex((l) => l.id.endsWith('-label'));
    expect(layers.slice(firstLabel).every((l) => l.id.endsWith('-label'))).toBe(true);
  });

  it('hide a toggled-off layer and a layer whose filter selects nothing', () => {
    const off = mapSpec({ ...base, visible: { roads: false }, filters: { villages: { values: {} }, demolition_sites: { values: { kind: [] } } } });
    const vis = (id: string) => (off.layers.find((l) => l.id === id) as { layout?: { visibility?: string } }).layout?.visibility;
    for (const id of LAYER_IDS.roads) expect(vis(id)).toBe('none');
    for (const id of LAYER_IDS.demolition_sites) expect(vis(id)).toBe('none');
    expect(vis('villages-line')).toBe('visible');
    expect(vis('waterways-fill')).toBeUndefined();
  });

  it('bump the tile URL when a layer version changes (no stale tile after a write)', () => {
    const a = mapSpec(base).sources.roads as { tiles: string[] };
    const b = mapSpec({ ...base, versions: { roads: 3 } }).sources.roads as { tiles: string[] };
    expect(a.tiles[0]).toMatch(/v=0$/);
    expect(b.tiles[0]).toMatch(/v=3$/);
  });

  it('add a raster basemap under everything only when one is given', () => {
    expect(mapSpec(base).sources.basemap).toBeUndefined();
    const withBase = mapSpec({ ...base, basemap: { tiles: ['https://tile.example/{z}/{x}/{y}.png'], attribution: '©' } });
    expect(withBase.layers[1]).toMatchObject({ id: 'basemap', type: 'raster' });
    expect(validateStyleMin({ version: 8, sources: withBase.sources, layers: withBase.layers })).toEqual([]);
  });

  it('ask MapLibre only for cluster tiles of garbage points; deck.gl draws the points from z12', () => {
    const spec = mapSpec(base);
    expect(spec.sources.garbage_points).toMatchObject({ maxzoom: 11 });
    expect(spec.layers.find((l) => l.id === 'garbage_points-cluster')).toMatchObject({ maxzoom: 12 });
    const deck = garbageDeckProps(base);
    expect(deck).toMatchObject({ id: GARBAGE_DECK_LAYER_ID, minZoom: 12, binary: true, visible: true, beforeId: DECK_BEFORE_ID });
    expect(deck.data).toBe('http://127.0.0.1:8080/api/tiles/garbage_points/{z}/{x}/{y}.mvt?v=0');
    expect(deck.getIcon({ properties: { status: 'cleared' } })).toBe('garbage-cleared');
    expect(garbageDeckProps({ ...base, visible: { garbage_points: false } }).visible).toBe(false);
    const f = garbageDeckProps({ ...base, filters: { garbage_points: { values: { status: ['reported', 'assigned'] }, from: '2026-10-01' } } });
    expect(f.data).toBe('http://127.0.0.1:8080/api/tiles/garbage_points/{z}/{x}/{y}.mvt?status=reported,assigned&datetime=2026-10-01/..&v=0');
  });
});

describe('symbology and legend', () => {
  it('have a symbol for every value of every styled property in the registry', () => {
    const values = (collection: string, property: string) => enumProperties(findCollection(collection)!).find((p) => p.name === property)!.values;
    expect(Object.keys(GARBAGE_STATUS)).toEqual([...values('garbage_points', 'status')]);
    expect(Object.keys(FACILITY_KIND)).toEqual([...values('sanitation_facilities', 'kind')]);
    expect(Object.keys(FACILITY_CONDITION)).toEqual([...values('sanitation_facilities', 'condition')]);
    expect(Object.keys(DEMOLITION_KIND)).toEqual([...values('demolition_sites', 'kind')]);
    expect(Object.keys(DEMOLITION_STATUS)).toEqual([...values('demolition_sites', 'status')]);
    expect(Object.keys(PLOT_STATUS)).toEqual([...values('afforestation_plots', 'status')]);
    expect(Object.keys(ROAD_CLASS)).toEqual([...values('roads', 'class')]);
  });

  it('never tell two values of one property apart by colour alone', () => {
    const distinct = (xs: string[]) => new Set(xs).size === xs.length;
    expect(distinct(Object.values(GARBAGE_STATUS).map((s) => s.shape))).toBe(true);
    expect(distinct(Object.values(FACILITY_KIND))).toBe(true);
    expect(distinct(Object.values(DEMOLITION_KIND))).toBe(true);
    expect(distinct(Object.values(PLOT_STATUS).map((s) => s.pattern))).toBe(true);
    // Roads: class by width (and dash for village roads) as well as colour.
    expect(distinct(Object.values(ROAD_CLASS).map((s) => `${s.width}${s.dash ?? ''}`))).toBe(true);
  });

  it('name every icon the style can ask for', () => {
    const ids = new Set([...allPointIcons(), ...clusterIcons(), ...allFillPatterns()].map((i) => i.id));
    for (const status of Object.keys(GARBAGE_STATUS)) expect(ids).toContain(`garbage-${status}`);
    for (const kind of Object.keys(FACILITY_KIND)) {
      expect(ids).toContain(`facility-cluster-${kind}`);
      for (const c of Object.keys(FACILITY_CONDITION)) expect(ids).toContain(`facility-${kind}-${c}`);
    }
    for (const kind of Object.keys(DEMOLITION_KIND)) for (const s of Object.keys(DEMOLITION_STATUS)) expect(ids).toContain(`demolition-${kind}-${s}`);
    for (const s of Object.keys(PLOT_STATUS)) expect(ids).toContain(`plot-${s}`);
  });

  it('shows in the legend the same symbols the map draws, labelled from the registry', () => {
    const garbage = legendFor('garbage_points');
    expect(garbage.groups[0].items.map((i) => i.label.zh)).toEqual(['已上报', '已派遣', '已清运', '已核查']);
    expect(garbage.groups[0].items.map((i) => i.symbol)).toEqual(Object.values(GARBAGE_STATUS).map((symbol) => ({ type: 'point', symbol })));
    const plots = legendFor('afforestation_plots');
    expect(plots.groups[0].items.map((i) => i.symbol)).toEqual(Object.values(PLOT_STATUS).map((symbol) => ({ type: 'fill', symbol })));
    const roads = legendFor('roads');
    expect(roads.groups[0].items.map((i) => i.label.en)).toEqual(['National road', 'Provincial road', 'County road', 'Township road', 'Village road']);
    for (const id of ['sanitation_facilities', 'demolition_sites', 'villages']) expect(legendFor(id).groups.length).toBeGreaterThan(0);
  });
});
