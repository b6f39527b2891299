/**
 * The map's element: creates the MapController once the extent is known, feeds it the layer
 * options from the stores, and passes its events (click, move, loading, errors) back.
 */
import { useEffect, useMemo, useRef } from 'react';
import { MapController, type Bbox } from '../map/MapController';
import type { LayerOptions } from '../map/layers';
import { useAnalysisStore, useLayerStore, useUiStore } from '../state/stores';
import { useAllItems, useClientConfig, useCollections, useFilteredItems, useHotspots } from '../api/queries';
import { useAnalysisQuery } from '../analysis/useAnalysis';
import type { AfforestationResult } from '../analysis/model';
import { pointOnFeature } from '@turf/turf';
import type { Item } from '../api/types';
import type { View } from '../state/urlState';
import { useT } from '../i18n/i18n';

/** Union of the layers' extents (waterways included), or undefined when there is no data. */
export function dataBounds(collections: { id: string; extent: { spatial: { bbox: number[][] } }; number_of_features: number }[]): Bbox | undefined {
  const boxes = collections.filter((c) => c.number_of_features > 0).map((c) => c.extent.spatial.bbox[0]).filter((b) => b && b.length === 4);
  if (!boxes.length) return undefined;
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/** One label point per afforestation plot, inside it, with what its label shows. */
export function plotLabelPoints(items: Item[], survival?: Map<number, { survival_pct: number; outcome: string }>): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: items.map((p) => {
      // The plot's latest survival check (rate and the seeds' verdict), when it has one.
      const check = survival?.get(Number(p.id));
      return {
        type: 'Feature',
        geometry: pointOnFeature(p.geometry as GeoJSON.Polygon).geometry,
        properties: {
          plot_code: p.properties.plot_code ?? '', planned_mu: p.properties.planned_mu ?? null, planted_mu: p.properties.planted_mu ?? null,
          ...(check ? { survival_pct: check.survival_pct, survival_outcome: check.outcome } : {}),
        },
      };
    }),
  };
}

/** One label point per village, inside its polygon. */
export function villageLabelPoints(items: Item[]): GeoJSON.FeatureCollection<GeoJSON.Point, { name: string }> {
  return {
    type: 'FeatureCollection',
    features: items.map((v) => ({ type: 'Feature', geometry: pointOnFeature(v.geometry as GeoJSON.Polygon).geometry, properties: { name: String(v.properties.name ?? '') } })),
  };
}

export function MapView({ initialView, onReady }: { initialView?: View; onReady: (c: MapController | null) => void }) {
  const { t, lang } = useT();
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const collections = useCollections();
  const config = useClientConfig();
  const visible = useLayerStore((s) => s.visible);
  const filters = useLayerStore((s) => s.filters);
  const versions = useLayerStore((s) => s.versions);
  const basemapOn = useLayerStore((s) => s.basemapOn);
  const basemap = config.data?.basemap ?? null;
  const villages = useAllItems('villages', true);
  const villageLabels = useMemo(() => (villages.data ? villageLabelPoints(villages.data.features) : undefined), [villages.data]);
  const plots = useFilteredItems('afforestation_plots', filters.afforestation_plots, visible.afforestation_plots !== false);
  // The latest survival check of each plot, from the afforestation analysis (the panel's query too).
  const survival = useAnalysisQuery<AfforestationResult>('/api/analysis/afforestation', visible.afforestation_plots !== false);
  const survivalById = useMemo(() => new Map((survival.data?.survival?.latest_checks ?? []).map((c) => [c.plot_id, c])), [survival.data]);
  const plotLabels = useMemo(() => (plots.data ? plotLabelPoints(plots.data.features, survivalById) : undefined), [plots.data, survivalById]);
  const hotspotQuery = useHotspots(visible.findings !== false);
  const hotspots = hotspotQuery.data ?? null;
  const overlay = useAnalysisStore((s) => s.overlay);
  const showOverlay = useAnalysisStore((s) => s.showOnMap);
  const analysis = showOverlay ? overlay : null;

  const options: LayerOptions = useMemo(
    () => ({ origin: window.location.origin, visible, filters, versions, basemap: basemapOn ? basemap : null, villageLabels, plotLabels, analysis, hotspots, lang }),
    [visible, filters, versions, basemapOn, basemap, villageLabels, plotLabels, analysis, hotspots, lang],
  );
  const optionsRef = useRef(options);
  optionsRef.current = options;

  // Without a view in the URL the map waits for the extent (a few ms) so it opens framed to the data.
  const canStart = Boolean(initialView) || collections.isSuccess || collections.isError;

  useEffect(() => {
    if (!canStart || !container.current || controller.current) return;
    const ui = useUiStore.getState();
    const bounds = collections.data ? dataBounds(collections.data.collections) : undefined;
    const c = new MapController(container.current, optionsRef.current, { view: initialView, bounds }, {
      onClick: (hit) => {
        if (hit?.analysis) {
          useUiStore.getState().setPopup({ lngLat: hit.analysis.lngLat, properties: hit.analysis.properties });
          return;
        }
        useUiStore.getState().setPopup(null);
        if (hit?.cluster) {
          // A cluster opens nothing: zooming in shows its points.
          c.flyTo(hit.cluster.lngLat, Math.min(c.map.getZoom() + 2.5, 14));
          return;
        }
        useUiStore.getState().select(hit ? { collection: hit.collection, id: hit.id } : null);
      },
      onMove: (view) => useUiStore.getState().setView(view),
      onPointer: (p) => useUiStore.getState().setPointer(p),
      onLoading: (loading) => useUiStore.getState().setMapLoading(loading),
      onTileError: (collection) => useUiStore.getState().addTileError(collection),
    });
    controller.current = c;
    ui.setView(c.view());
    onReady(c);
    return undefined;
  }, [canStart, collections.data, initialView, onReady]);

  useEffect(() => () => {
    controller.current?.destroy();
    controller.current = null;
    onReady(null);
  }, [onReady]);

  useEffect(() => {
    controller.current?.update(options);
  }, [options]);

  return (
    <div className="map" ref={container} role="region" aria-label={t('app.title')} />
  );
}
