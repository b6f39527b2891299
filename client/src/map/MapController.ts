/**
 * The one module that owns the imperative map: the MapLibre map, the deck.gl overlay drawn into
 * it (interleaved) and terra-draw for drawing, editing and measuring. React hands it options and
 * calls its methods; it reports clicks, moves, loading and errors back through callbacks.
 * Layers themselves are pure specs from layers.ts / deckLayers.ts: this class only diffs them.
 */
import * as maplibregl from 'maplibre-gl';
import { type LayerSpecification, type MapGeoJSONFeature, type SourceSpecification, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// The web worker is served by the app itself: maplibre-gl 6 looks for it next to its own module
// (gone once bundled).
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import {
  TerraDraw, TerraDrawLineStringMode, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawSelectMode, type GeoJSONStoreFeatures,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { ANALYSIS_CLICKABLE, CLICKABLE_LAYERS, IDEOGRAPH_FONT_FAMILY, POINTS_MIN_ZOOM, LAYER_IDS, mapSpec, type LayerOptions, type MapSpec } from './layers';
import { garbageDeckProps } from './deckLayers';
import type { GarbageOverlay } from './deckOverlay';
import { allFillPatterns, allPointIcons, clusterIcons } from './symbology';
import { fillPatternImage, pointIconImage } from './symbols';
import type { View } from '../state/urlState';

export type Bbox = [number, number, number, number];

/** What a click hit: a feature (or a cluster of them) of a collection. */
export interface MapHit {
  collection: string;
  id: number;
  /** Set for clusters of more than one point. */
  cluster?: { count: number; lngLat: [number, number] };
  /** Set for features of the analysis overlay (collection 'analysis'): what the popup shows. */
  analysis?: { properties: Record<string, unknown>; lngLat: [number, number] };
}

export type DrawGeometryType = 'Point' | 'LineString' | 'Polygon';
export type SimpleGeometry = GeoJSON.Point | GeoJSON.LineString | GeoJSON.Polygon;

export interface MapEvents {
  onClick(hit: MapHit | null): void;
  onMove(view: View): void;
  onPointer(lngLat: [number, number] | null): void;
  onLoading(loading: boolean): void;
  onTileError(collection: string, message: string): void;
}

maplibregl.setWorkerUrl(maplibreWorkerUrl);
// Two workers parse tiles in parallel (MapLibre's default is one outside Safari); started now,
// while the app waits for the layers' extent, rather than when the map is created.
maplibregl.setWorkerCount(2);
maplibregl.prewarm();

const POINT_ICONS = new Map([...allPointIcons(), ...clusterIcons()].map((i) => [i.id, i.symbol]));
const FILL_PATTERNS = new Map(allFillPatterns().map((p) => [p.id, p.symbol]));

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** GeoJSON sources compare their data by reference (it can be large); others by value. */
function sameSource(a: SourceSpecification, b: SourceSpecification): boolean {
  if (a.type === 'geojson' && b.type === 'geojson') {
    const { data: da, ...ra } = a;
    const { data: db, ...rb } = b;
    return da === db && same(ra, rb);
  }
  return same(a, b);
}

/**
 * deck.gl 9.4's MapboxOverlay reads `map.transform` (near/far planes, height, elevation), which
 * maplibre-gl 6 moved to `map._camera.transform`. Until deck.gl follows, give the map a read-only
 * alias; nothing else is patched.
 */
function exposeTransform(map: maplibregl.Map): void {
  const m = map as unknown as { transform?: unknown; _camera?: { transform: unknown } };
  if (m.transform === undefined && m._camera) {
    Object.defineProperty(m, 'transform', { get: () => m._camera!.transform, configurable: true });
  }
}

/** Room for the layer panel on the left when framing data on a wide screen. */
function framePadding(container: HTMLElement): maplibregl.PaddingOptions {
  const wide = container.clientWidth > 720;
  // The side panel (layers or analyses) covers the map's left part on wide screens.
  const panel = wide ? container.parentElement?.querySelector('.side-panel')?.getBoundingClientRect() : undefined;
  const left = panel && panel.width ? panel.right - container.getBoundingClientRect().left + 20 : 20;
  return { top: 30, bottom: 30, left: wide ? Math.max(left, 20) : 20, right: wide ? 70 : 56 };
}

function segmentDistance(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** From this zoom on deck.gl is loaded (points start at 12: one zoom step of head start). */
const DECK_PRELOAD_ZOOM = 11;

const DRAW_COLOUR = '#1A1A1A';
const MEASURE_COLOUR = '#C2185B';

export class MapController {
  readonly map: maplibregl.Map;
  /** deck.gl's garbage points, once its module has loaded (see deckOverlay.ts). */
  private overlay?: GarbageOverlay;
  private overlayLoading?: Promise<void>;
  /** Sources with a failed tile since their last update. */
  private readonly failedSources = new Set<string>();
  private spec: MapSpec;
  private options: LayerOptions;
  private draw?: TerraDraw;
  private drawListener?: (geometry: SimpleGeometry | null, finished: boolean) => void;
  private editingId?: string | number;
  /** The last finished measurement, removed when the next one starts. */
  private finishedMeasure?: string | number;
  private destroyed = false;

  constructor(container: HTMLElement, options: LayerOptions, initial: { view?: View; bounds?: Bbox }, private readonly events: MapEvents) {
    this.options = options;
    this.spec = mapSpec(options);
    const style: StyleSpecification = { version: 8, sources: this.spec.sources, layers: this.spec.layers };
    this.map = new maplibregl.Map({
      container,
      style,
      center: initial.view?.center ?? [117.2, 32.95],
      zoom: initial.view?.zoom ?? 11,
      bearing: initial.view?.bearing ?? 0,
      bounds: initial.view ? undefined : initial.bounds,
      fitBoundsOptions: { padding: framePadding(container) },
      attributionControl: false,
      localIdeographFontFamily: IDEOGRAPH_FONT_FAMILY,
      // A link must reproduce the view exactly; the app writes the hash itself (urlState.ts).
      hash: false,
      maxZoom: 20,
      // Keyboard panning is on; the canvas is focusable so keyboard users can reach it.
      keyboard: true,
      canvasContextAttributes: { preserveDrawingBuffer: false },
      // No label fade-in: every fade frame is a full redraw, and software WebGL pays for each.
      fadeDuration: 0,
    });
    // Marks for the benchmark (scripts/bench/client.ts) and the browser's performance panel.
    performance.mark('remap:map-created');
    this.map.once('load', () => performance.mark('remap:map-load'));
    this.map.once('idle', () => performance.mark('remap:map-idle'));
    this.map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
    // Icons and patterns are drawn on demand from symbology.ts: no sprite file to fetch.
    // maplibre-gl 6 asks a resolver first (and warns when an image is still missing after it).
    this.map.setMissingStyleImageResolver((id) => this.addImage(id));

    exposeTransform(this.map);
    // deck.gl is fetched after the first full render, or as soon as the view is zoomed in.
    if (this.map.getZoom() >= POINTS_MIN_ZOOM) this.loadDeck();
    this.map.once('idle', () => this.loadDeck());
    this.map.on('zoomend', () => {
      if (this.map.getZoom() >= DECK_PRELOAD_ZOOM) this.loadDeck();
    });

    this.map.on('click', (e) => this.handleClick(e.point));
    this.map.on('mousemove', (e) => {
      this.events.onPointer([e.lngLat.lng, e.lngLat.lat]);
      if (!this.isDrawing()) this.map.getCanvas().style.cursor = this.hitAt(e.point) ? 'pointer' : '';
    });
    this.map.on('mouseout', () => this.events.onPointer(null));
    this.map.on('moveend', () => this.events.onMove(this.view()));
    this.map.on('dataloading', () => this.events.onLoading(true));
    // Idle means MapLibre is done; deck.gl's point tiles (z ≥ 12) may still be on their way.
    this.map.on('idle', () => this.events.onLoading(!this.deckIsLoaded()));
    this.map.on('error', (ev) => {
      const e = ev as unknown as { error?: { message?: string }; sourceId?: string };
      const collection = e.sourceId ?? '';
      if (collection === 'basemap') return void this.events.onTileError('basemap', e.error?.message ?? '');
      if (collection) {
        this.failedSources.add(collection);
        this.events.onTileError(collection, e.error?.message ?? '');
      }
      else console.warn('map error', e.error?.message);
    });
  }

  private addImage(id: string): void {
    if (this.map.hasImage(id)) return;
    const pixelRatio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    const icon = POINT_ICONS.get(id);
    if (icon) return void this.map.addImage(id, pointIconImage(icon, pixelRatio), { pixelRatio });
    const pattern = FILL_PATTERNS.get(id);
    if (pattern) this.map.addImage(id, fillPatternImage(pattern, pixelRatio), { pixelRatio });
  }

  /**
   * Runs `fn` now if the style has been parsed (its sources and layers exist), else once it has.
   * Not isStyleLoaded(): that is false while any tile loads, and 'load' fires only once.
   */
  private whenStyleReady(fn: () => void): void {
    if (this.map.style?._loaded) fn();
    else this.map.once('style.load', fn);
  }

  view(): View {
    const c = this.map.getCenter();
    return { center: [c.lng, c.lat], zoom: this.map.getZoom(), bearing: this.map.getBearing() };
  }

  /** Applies new options: only sources and layers whose spec changed are touched. */
  update(options: LayerOptions): void {
    if (this.destroyed) return;
    this.options = options;
    const next = mapSpec(options);
    const prev = this.spec;
    this.spec = next;
    const apply = () => this.applyDiff(prev, next);
    this.whenStyleReady(apply);
    this.renderDeck();
  }

  private applyDiff(prev: MapSpec, next: MapSpec): void {
    const map = this.map;
    const prevLayers = new Map(prev.layers.map((l) => [l.id, l]));
    const nextIds = new Set(next.layers.map((l) => l.id));
    for (const l of prev.layers) if (!nextIds.has(l.id) && map.getLayer(l.id)) map.removeLayer(l.id);
    for (const id of Object.keys(prev.sources)) if (!next.sources[id] && map.getSource(id)) map.removeSource(id);
    for (const [id, src] of Object.entries(next.sources)) {
      const old = prev.sources[id];
      if (!old || !map.getSource(id)) map.addSource(id, src);
      else if (!sameSource(old, src)) this.updateSource(id, old, src);
    }
    next.layers.forEach((layer, i) => {
      const old = prevLayers.get(layer.id);
      if (!old || !map.getLayer(layer.id)) {
        const before = next.layers.slice(i + 1).find((l) => map.getLayer(l.id));
        map.addLayer(layer, before?.id);
        return;
      }
      this.updateLayer(old, layer);
    });
  }

  private updateSource(id: string, old: SourceSpecification, src: SourceSpecification): void {
    const source = this.map.getSource(id);
    // A source whose tiles failed is replaced whole: MapLibre 6 leaves failed tiles "loading"
    // forever after setTiles, so a retry would never finish.
    const failed = this.failedSources.delete(id);
    if (!failed && src.type === 'vector' && old.type === 'vector' && source instanceof maplibregl.VectorTileSource) {
      // setTiles reloads in place: old tiles stay drawn until the new ones arrive (no flicker).
      source.setTiles(src.tiles ?? []);
      return;
    }
    if (src.type === 'geojson' && old.type === 'geojson' && source instanceof maplibregl.GeoJSONSource) {
      source.setData(src.data as GeoJSON.GeoJSON);
      return;
    }
    const dependants = this.spec.layers.filter((l) => 'source' in l && l.source === id);
    for (const l of dependants) if (this.map.getLayer(l.id)) this.map.removeLayer(l.id);
    this.map.removeSource(id);
    this.map.addSource(id, src);
  }

  private updateLayer(old: LayerSpecification, layer: LayerSpecification): void {
    const map = this.map;
    const o = old as { layout?: Record<string, unknown>; paint?: Record<string, unknown>; filter?: unknown; minzoom?: number; maxzoom?: number };
    const n = layer as typeof o;
    for (const key of new Set([...Object.keys(o.layout ?? {}), ...Object.keys(n.layout ?? {})])) {
      if (!same(o.layout?.[key], n.layout?.[key])) map.setLayoutProperty(layer.id, key as never, n.layout?.[key] as never);
    }
    for (const key of new Set([...Object.keys(o.paint ?? {}), ...Object.keys(n.paint ?? {})])) {
      if (!same(o.paint?.[key], n.paint?.[key])) map.setPaintProperty(layer.id, key as never, n.paint?.[key] as never);
    }
    if (!same(o.filter, n.filter)) map.setFilter(layer.id, (n.filter ?? null) as maplibregl.FilterSpecification | null);
    if (o.minzoom !== n.minzoom || o.maxzoom !== n.maxzoom) map.setLayerZoomRange(layer.id, n.minzoom ?? 0, n.maxzoom ?? 24);
  }

  private loadDeck(): void {
    this.overlayLoading ??= import('./deckOverlay').then(
      (m) => {
        if (this.destroyed) return;
        const overlay = m.createGarbageOverlay();
        this.map.addControl(overlay.control);
        this.overlay = overlay;
        this.renderDeck();
      },
      (e: Error) => this.events.onTileError('garbage_points', e.message),
    );
  }

  private renderDeck(): void {
    this.overlay?.render(garbageDeckProps(this.options), {
      viewportLoad: () => {
        if (this.map.loaded() && this.map.areTilesLoaded()) this.events.onLoading(false);
      },
      tileError: (message) => this.events.onTileError('garbage_points', message),
    });
  }

  /** The collection and id under a screen point, topmost first (deck.gl points, then MapLibre). */
  hitAt(point: { x: number; y: number }): MapHit | null {
    const analysisHit = this.analysisAt(point);
    if (analysisHit) return analysisHit;
    const deckHit = this.deckPick(point.x, point.y);
    if (deckHit) return deckHit;
    const layers = CLICKABLE_LAYERS.filter((id) => this.map.getLayer(id) && this.map.getLayoutProperty(id, 'visibility') !== 'none');
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [[point.x - 5, point.y - 5], [point.x + 5, point.y + 5]];
    const features = this.map.queryRenderedFeatures(box, { layers }).filter((x) => x.id !== undefined);
    // Topmost layer first; within a layer (two roads crossing) the feature nearest the pointer.
    const rank = (f: MapGeoJSONFeature) => layers.indexOf(f.layer.id) * 1e6 + this.screenDistance(f.geometry, point);
    features.sort((a, b) => rank(a) - rank(b));
    return features.length ? this.toHit(features[0]) : null;
  }

  /** Pixels from a screen point to a point or line geometry (0 for polygons: they contain it). */
  private screenDistance(g: GeoJSON.Geometry, p: { x: number; y: number }): number {
    const lines: number[][][] =
      g.type === 'Point' ? [[g.coordinates]] : g.type === 'MultiPoint' ? g.coordinates.map((c) => [c])
        : g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    if (!lines.length) return 0;
    let best = Infinity;
    for (const line of lines) {
      const px = line.map((c) => this.map.project(c as [number, number]));
      if (px.length === 1) best = Math.min(best, Math.hypot(px[0].x - p.x, px[0].y - p.y));
      for (let i = 1; i < px.length; i += 1) best = Math.min(best, segmentDistance(p, px[i - 1], px[i]));
    }
    return Math.min(best, 999);
  }

  /** An analysis feature under the point (the overlay is drawn over the layers' features). */
  private analysisAt(point: { x: number; y: number }): MapHit | null {
    const layers = ANALYSIS_CLICKABLE.filter((id) => this.map.getLayer(id));
    if (!layers.length || !this.options.analysis?.features.length) return null;
    const box: [maplibregl.PointLike, maplibregl.PointLike] = [[point.x - 4, point.y - 4], [point.x + 4, point.y + 4]];
    const features = this.map.queryRenderedFeatures(box, { layers });
    if (!features.length) return null;
    features.sort((a, b) => layers.indexOf(a.layer.id) - layers.indexOf(b.layer.id));
    const f = features[0];
    const at = f.geometry.type === 'Point' ? (f.geometry.coordinates as [number, number]) : this.map.unproject([point.x, point.y]).toArray() as [number, number];
    return { collection: 'analysis', id: Number(f.id ?? 0), analysis: { properties: f.properties, lngLat: at } };
  }

  private popup?: maplibregl.Popup;

  /** Shows a popup with the given content (React renders into it); onClose hears the ✕. */
  showPopup(lngLat: [number, number], content: HTMLElement, onClose: () => void): void {
    this.closePopup();
    const popup = new maplibregl.Popup({ closeButton: true, closeOnClick: false, maxWidth: '280px', offset: 14 })
      .setLngLat(lngLat)
      .setDOMContent(content)
      .addTo(this.map);
    popup.on('close', () => {
      if (this.popup === popup) {
        this.popup = undefined;
        onClose();
      }
    });
    this.popup = popup;
  }

  closePopup(): void {
    const p = this.popup;
    this.popup = undefined;
    p?.remove();
  }

  private toHit(f: MapGeoJSONFeature): MapHit {
    const count = Number(f.properties.point_count ?? 1);
    const hit: MapHit = { collection: f.source, id: Number(f.id) };
    if (count > 1 && f.geometry.type === 'Point') hit.cluster = { count, lngLat: f.geometry.coordinates as [number, number] };
    return hit;
  }

  private deckPick(x: number, y: number): MapHit | null {
    if (!this.overlay || this.map.getZoom() < 11.5 || this.options.visible.garbage_points === false) return null;
    const id = this.overlay.pick(x, y);
    return id !== null ? { collection: 'garbage_points', id } : null;
  }

  private handleClick(point: { x: number; y: number }): void {
    if (this.isDrawing()) return;
    this.events.onClick(this.hitAt(point));
  }

  /** Outlines the selected feature (or clears the outline). */
  setSelection(feature: GeoJSON.Feature | null): void {
    const apply = () => {
      const source = this.map.getSource('selection') as maplibregl.GeoJSONSource | undefined;
      source?.setData({ type: 'FeatureCollection', features: feature ? [feature] : [] });
    };
    this.whenStyleReady(apply);
  }

  /** Outlines the first rows of a file being imported (the selection layer; [] clears them). */
  showPreview(features: GeoJSON.Feature[]): void {
    this.whenStyleReady(() => {
      const source = this.map.getSource('selection') as maplibregl.GeoJSONSource | undefined;
      source?.setData({ type: 'FeatureCollection', features });
    });
  }

  fitBounds(bbox: Bbox, maxZoom = 17): void {
    const [w, s, e, n] = bbox;
    if (w === e && s === n) return void this.map.flyTo({ center: [w, s], zoom: Math.max(this.map.getZoom(), 16) });
    this.map.fitBounds([[w, s], [e, n]], { padding: framePadding(this.map.getContainer()), maxZoom, duration: 800 });
  }

  flyTo(center: [number, number], zoom: number): void {
    this.map.flyTo({ center, zoom, duration: 800 });
  }

  zoomBy(delta: number): void {
    this.map.easeTo({ zoom: this.map.getZoom() + delta, duration: 250 });
  }

  northUp(): void {
    this.map.easeTo({ bearing: 0, pitch: 0, duration: 400 });
  }

  /** Ground metres per CSS pixel at the centre of the view (for the scale bar). */
  metresPerPixel(): number {
    const lat = this.map.getCenter().lat;
    return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** this.map.getZoom());
  }

  // ---- drawing, editing and measuring (terra-draw) ----

  private ensureDraw(): TerraDraw {
    if (this.draw) return this.draw;
    const editable = { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } };
    const styles = { fillColor: '#FFD84D', outlineColor: DRAW_COLOUR, lineStringColor: DRAW_COLOUR, pointColor: DRAW_COLOUR } as const;
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map }),
      modes: [
        new TerraDrawPointMode({ styles: { pointColor: DRAW_COLOUR, pointWidth: 7, pointOutlineColor: '#FFFFFF', pointOutlineWidth: 2 } }),
        new TerraDrawLineStringMode({ styles: { lineStringColor: styles.lineStringColor, lineStringWidth: 3 } }),
        new TerraDrawPolygonMode({ styles: { fillColor: styles.fillColor, fillOpacity: 0.3, outlineColor: styles.outlineColor, outlineWidth: 2 } }),
        new TerraDrawLineStringMode({ modeName: 'measure-line', styles: { lineStringColor: MEASURE_COLOUR, lineStringWidth: 3 } }),
        new TerraDrawPolygonMode({ modeName: 'measure-polygon', styles: { fillColor: MEASURE_COLOUR, fillOpacity: 0.15, outlineColor: MEASURE_COLOUR, outlineWidth: 2 } }),
        new TerraDrawSelectMode({
          flags: { point: { feature: { draggable: true } }, linestring: editable, polygon: editable },
          // Deselecting by clicking elsewhere would end an edit by accident; the panel ends it.
          allowManualDeselection: false,
          styles: { selectedPolygonColor: '#FFD84D', selectedPolygonFillOpacity: 0.3, selectedPolygonOutlineColor: DRAW_COLOUR, selectedLineStringColor: DRAW_COLOUR, selectedPointColor: DRAW_COLOUR, selectedPointWidth: 8 },
        }),
      ],
    });
    draw.start();
    draw.on('change', (ids) => this.reportDrawn(ids, false));
    draw.on('finish', (id) => this.reportDrawn([id], true));
    this.draw = draw;
    return draw;
  }

  private reportDrawn(ids: (string | number)[], finished: boolean): void {
    const draw = this.draw;
    if (!draw || !this.drawListener) return;
    const mode = draw.getMode();
    // terra-draw also keeps helper features (closing points, midpoints, selection handles): only
    // the shape of the current mode, or the one being edited, is reported.
    const shapes = draw.getSnapshot().filter((f) => (this.editingId !== undefined ? f.id === this.editingId : f.properties?.mode === mode));
    if (mode.startsWith('measure')) {
      const previous = this.finishedMeasure;
      const current = shapes.find((f) => f.id !== previous);
      if (previous !== undefined && current) {
        // A new measurement replaces the finished one (removed outside terra-draw's event).
        this.finishedMeasure = undefined;
        setTimeout(() => {
          if (this.draw?.hasFeature(previous)) this.draw.removeFeatures([previous]);
        }, 0);
      }
      if (finished) this.finishedMeasure = ids[ids.length - 1];
      const shown = current ?? shapes[0];
      this.drawListener((shown?.geometry as SimpleGeometry) ?? null, finished);
      return;
    }
    const f = (shapes.find((x) => ids.includes(x.id!)) ?? shapes[shapes.length - 1]) as GeoJSONStoreFeatures | undefined;
    this.drawListener((f?.geometry as SimpleGeometry) ?? null, finished);
    if (finished && f?.id !== undefined && (mode === 'point' || mode === 'linestring' || mode === 'polygon')) {
      // A new feature is drawn once: keep it visible and editable, but stop drawing more.
      const id = f.id;
      this.editingId = id;
      setTimeout(() => {
        if (this.draw && this.editingId === id && this.draw.hasFeature(id)) {
          this.draw.setMode('select');
          this.draw.selectFeature(id);
        }
      }, 0);
    }
  }

  isDrawing(): boolean {
    return Boolean(this.drawListener);
  }

  /** Measuring: calls back with the line or polygon as it is drawn. */
  startMeasure(kind: 'line' | 'polygon', listener: (geometry: SimpleGeometry | null, finished: boolean) => void): void {
    this.stopDrawing();
    const draw = this.ensureDraw();
    this.drawListener = listener;
    draw.setMode(kind === 'line' ? 'measure-line' : 'measure-polygon');
  }

  /** Draws a new geometry of the given type; the listener hears each change and the finish. */
  startDrawing(type: DrawGeometryType, listener: (geometry: SimpleGeometry | null, finished: boolean) => void): void {
    this.stopDrawing();
    const draw = this.ensureDraw();
    this.drawListener = listener;
    draw.setMode(type === 'Point' ? 'point' : type === 'LineString' ? 'linestring' : 'polygon');
  }

  /** Edits an existing simple geometry in place (drag point or vertices, add by midpoints). */
  editGeometry(geometry: SimpleGeometry, listener: (geometry: SimpleGeometry | null, finished: boolean) => void): void {
    this.stopDrawing();
    const draw = this.ensureDraw();
    const mode = geometry.type === 'Point' ? 'point' : geometry.type === 'LineString' ? 'linestring' : 'polygon';
    // terra-draw's store wants its own kind of id (a UUID unless told otherwise).
    const [result] = draw.addFeatures([{ type: 'Feature', id: draw.getFeatureId(), geometry, properties: { mode } } as GeoJSONStoreFeatures]);
    if (!result?.valid || result.id === undefined) throw new Error(`this shape cannot be edited: ${result?.reason ?? 'invalid'}`);
    this.editingId = result.id;
    this.drawListener = listener;
    draw.setMode('select');
    draw.selectFeature(result.id!);
  }

  stopDrawing(): void {
    this.drawListener = undefined;
    this.editingId = undefined;
    this.finishedMeasure = undefined;
    if (this.draw) {
      this.draw.clear();
      this.draw.setMode('static');
    }
    this.map.getCanvas().style.cursor = '';
  }

  // ---- loading state and the test hook ----

  /** Resolves when MapLibre has no tiles in flight and deck.gl's viewport tiles are loaded. */
  async whenIdle(timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    for (;;) {
      const mapDone = this.map.loaded() && this.map.areTilesLoaded() && !this.map.isMoving();
      if (mapDone && this.deckIsLoaded()) return;
      if (Date.now() - start > timeoutMs) throw new Error('the map did not finish loading');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private deckIsLoaded(): boolean {
    const props = garbageDeckProps(this.options);
    // deck.gl picks tile zoom round(z − 0.5): below z12 it draws (and waits for) nothing.
    if (!props.visible || this.map.getZoom() < POINTS_MIN_ZOOM) return true;
    return Boolean(this.overlay?.isLoaded());
  }

  /** Features MapLibre has drawn of one collection in the current view (ids and properties). */
  renderedFeatures(collection: string): { id: number; properties: Record<string, unknown> }[] {
    const layerIds = (LAYER_IDS as Record<string, readonly string[]>)[collection]?.filter((id) => this.map.getLayer(id)) ?? [];
    const seen = new Map<number, Record<string, unknown>>();
    for (const f of this.map.queryRenderedFeatures({ layers: layerIds })) if (f.id !== undefined) seen.set(Number(f.id), f.properties);
    if (collection === 'garbage_points') for (const f of this.deckRendered()) seen.set(f.id, f.properties);
    return [...seen].map(([id, properties]) => ({ id, properties }));
  }

  /** Garbage points deck.gl has drawn in the view, read back by GPU picking over the canvas. */
  deckRendered(): { id: number; properties: Record<string, unknown> }[] {
    if (!this.overlay || this.map.getZoom() < 11.5) return [];
    const canvas = this.map.getCanvas();
    return this.overlay.pickAll(canvas.clientWidth, canvas.clientHeight);
  }

  /** Screen position of a lon/lat (tests click features through it). */
  project(lngLat: [number, number]): { x: number; y: number } {
    const p = this.map.project(lngLat);
    return { x: p.x, y: p.y };
  }

  destroy(): void {
    this.destroyed = true;
    try {
      this.draw?.stop();
    } catch {
      // terra-draw throws when stopped before the map loaded; nothing to clean then.
    }
    this.map.remove();
  }
}
