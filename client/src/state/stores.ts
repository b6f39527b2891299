/**
 * UI state in small stores (zustand): what the layer panel controls, what is selected, which
 * tool is on. Server data is not here; it lives in the query cache (api/queries.ts).
 */
import { create } from 'zustand';
import type { Filters, LayerFilter } from '../map/filters';
import type { View } from './urlState';

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
  bumpAll: () => set((s) => ({ versions: Object.fromEntries(['roads', 'villages', 'waterways', 'garbage_points', 'sanitation_facilities', 'afforestation_plots', 'demolition_sites'].map((id) => [id, (s.versions[id] ?? 0) + 1])) })),
  setBasemap: (on) => set({ basemapOn: on }),
}));

export type Tool = 'none' | 'measure-line' | 'measure-polygon';

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
  view: View | null;
  pointer: [number, number] | null;
  mapLoading: boolean;
  tileErrors: string[];
  toast: string | null;
  select(s: Selection | null): void;
  startCreate(collection: string | null): void;
  setTool(tool: Tool): void;
  setLayersOpen(open: boolean): void;
  setView(view: View): void;
  setPointer(p: [number, number] | null): void;
  setMapLoading(loading: boolean): void;
  addTileError(collection: string): void;
  clearTileErrors(): void;
  showToast(message: string | null): void;
}

export const useUiStore = create<UiState>((set) => ({
  selected: null,
  creating: null,
  tool: 'none',
  layersOpen: false,
  view: null,
  pointer: null,
  mapLoading: true,
  tileErrors: [],
  toast: null,
  select: (selected) => set({ selected, creating: null }),
  startCreate: (creating) => set({ creating, selected: null, tool: 'none' }),
  setTool: (tool) => set({ tool }),
  setLayersOpen: (layersOpen) => set({ layersOpen }),
  setView: (view) => set({ view }),
  setPointer: (pointer) => set({ pointer }),
  setMapLoading: (mapLoading) => set({ mapLoading }),
  addTileError: (collection) => set((s) => (s.tileErrors.includes(collection) ? s : { tileErrors: [...s.tileErrors, collection] })),
  clearTileErrors: () => set({ tileErrors: [] }),
  showToast: (toast) => set({ toast }),
}));
