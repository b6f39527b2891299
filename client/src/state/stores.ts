/**
 * UI state in small stores (zustand): what the layer panel controls, what is selected, which
 * tool is on. Server data is not here; it lives in the query cache (api/queries.ts).
 */
import { create } from 'zustand';
import type { Filters, LayerFilter } from '../map/filters';
import type { View } from './urlState';
import type { MessageKey } from '../i18n/catalog';
import type { Label } from '../../../server/collections/registry';
import { ANALYSES, defaultParams, type AnalysisKind, type AnalysisParams } from '../analysis/model';

interface LayerState {
  /** Collection id → shown (absent: shown). */
  visible: Record<string, boolean>;
  filters: Filters;
  /** Collection id → tile version; bumped after writes and retries. */
  versions: Record<string, number>;
  /** Online basemap switched on (only matters when the server configures one). */
  basemapOn: boolean;
  toggle(collection: string, on?: boolean): void;
  setFilter(collection: string, filter: LayerFilter | undefined): void;
  bumpVersion(collection: string): void;
  bumpAll(): void;
  setBasemap(on: boolean): void;
}

export const useLayerStore = create<LayerState>((set) => ({
  visible: {},
  filters: {},
  versions: {},
  basemapOn: false,
  toggle: (collection, on) => set((s) => ({ visible: { ...s.visible, [collection]: on ?? s.visible[collection] === false } })),
  setFilter: (collection, filter) => set((s) => ({ filters: { ...s.filters, [collection]: filter } })),
  bumpVersion: (collection) => set((s) => ({ versions: { ...s.versions, [collection]: (s.versions[collection] ?? 0) + 1 } })),
  bumpAll: () => set((s) => ({ versions: Object.fromEntries(['roads', 'villages', 'waterways', 'garbage_points', 'sanitation_facilities', 'afforestation_plots', 'demolition_sites', 'findings'].map((id) => [id, (s.versions[id] ?? 0) + 1])) })),
  setBasemap: (on) => set({ basemapOn: on }),
}));

/** Variables may be registry labels ({zh, en}): shown in the current language. */
export interface Toast {
  key: MessageKey;
  vars?: Record<string, string | number | Label>;
}

export type Tool = 'none' | 'measure-line' | 'measure-polygon';

/** The left panel (a bottom sheet on phones) shows the layers or the analyses. */
export type SideTab = 'layers' | 'analysis' | 'notices';

/** A popup on the map about an analysis feature (a violation, a unit, a suggested site…). */
export interface MapPopup {
  lngLat: [number, number];
  properties: Record<string, unknown>;
}

export interface Selection {
  collection: string;
  id: number;
}

interface UiState {
  selected: Selection | null;
  /** A new feature being created in this collection. */
  creating: string | null;
  tool: Tool;
  /** Phone layout: the layer sheet is open. */
  layersOpen: boolean;
  sideTab: SideTab;
  popup: MapPopup | null;
  view: View | null;
  pointer: [number, number] | null;
  mapLoading: boolean;
  tileErrors: string[];
  /** A short confirmation, kept as a catalogue key so it follows a language switch. */
  toast: Toast | null;
  select(s: Selection | null): void;
  startCreate(collection: string | null): void;
  setTool(tool: Tool): void;
  setLayersOpen(open: boolean): void;
  setSideTab(tab: SideTab): void;
  setPopup(popup: MapPopup | null): void;
  setView(view: View): void;
  setPointer(p: [number, number] | null): void;
  setMapLoading(loading: boolean): void;
  addTileError(collection: string): void;
  clearTileErrors(): void;
  showToast(toast: Toast | null): void;
}

export const useUiStore = create<UiState>((set) => ({
  selected: null,
  creating: null,
  tool: 'none',
  layersOpen: false,
  sideTab: 'layers',
  popup: null,
  view: null,
  pointer: null,
  mapLoading: true,
  tileErrors: [],
  toast: null,
  select: (selected) => set({ selected, creating: null }),
  startCreate: (creating) => set({ creating, selected: null, tool: 'none' }),
  setTool: (tool) => set({ tool }),
  setLayersOpen: (layersOpen) => set({ layersOpen }),
  setSideTab: (sideTab) => set({ sideTab, popup: null }),
  setPopup: (popup) => set({ popup }),
  setView: (view) => set({ view }),
  setPointer: (pointer) => set({ pointer }),
  setMapLoading: (mapLoading) => set({ mapLoading }),
  addTileError: (collection) => set((s) => (s.tileErrors.includes(collection) ? s : { tileErrors: [...s.tileErrors, collection] })),
  clearTileErrors: () => set({ tileErrors: [] }),
  showToast: (toast) => set({ toast }),
}));

interface AnalysisState {
  active: AnalysisKind;
  /** Parameters each analysis last ran with (the table, the map and the CSV link use these). */
  params: Record<AnalysisKind, AnalysisParams>;
  /** Draw the active analysis on the map. */
  showOnMap: boolean;
  /** What the active analysis draws (set by its panel, cleared when the panel goes). */
  overlay: GeoJSON.FeatureCollection | null;
  setActive(kind: AnalysisKind): void;
  setParams(kind: AnalysisKind, params: AnalysisParams): void;
  setShowOnMap(on: boolean): void;
  setOverlay(overlay: GeoJSON.FeatureCollection | null): void;
}

export const useAnalysisStore = create<AnalysisState>((set) => ({
  active: 'setback',
  params: Object.fromEntries(ANALYSES.map((k) => [k, defaultParams(k)])) as Record<AnalysisKind, AnalysisParams>,
  showOnMap: true,
  overlay: null,
  setActive: (active) => set({ active, overlay: null }),
  setParams: (kind, params) => set((s) => ({ params: { ...s.params, [kind]: params } })),
  setShowOnMap: (showOnMap) => set({ showOnMap }),
  setOverlay: (overlay) => set({ overlay }),
}));
