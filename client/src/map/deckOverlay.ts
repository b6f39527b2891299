/**
 * The deck.gl part of the map, loaded on demand (a dynamic import): deck.gl and luma.gl are
 * about half of the app's JavaScript and draw only the garbage points at z ≥ 12, so the first
 * view (the township at z ≈ 11) opens without parsing them. MapController imports this module
 * after the first full render, or at once when the view starts zoomed in.
 */
import { MapboxOverlay } from '@deck.gl/mapbox';
import { MVTLayer } from '@deck.gl/geo-layers';
import type { PickingInfo } from '@deck.gl/core';
// loaders.gl would otherwise load the MVT worker from a CDN: the app serves it itself.
import mvtWorkerUrl from '@loaders.gl/mvt/mvt-worker.js?url';
import { GARBAGE_DECK_LAYER_ID, type GarbageDeckProps } from './deckLayers';
import { allPointIcons } from './symbology';
import { iconAtlas } from './symbols';

export interface GarbageOverlay {
  control: MapboxOverlay;
  /** Sets the garbage point layer's props (from deckLayers.ts) and its callbacks. */
  render(props: GarbageDeckProps, on: { viewportLoad(): void; tileError(message: string): void }): void;
  /** True once the tiles of the current view are drawn (or when the layer draws nothing). */
  isLoaded(): boolean;
  pick(x: number, y: number): number | null;
  /** Every point drawn in a screen rectangle (GPU picking). */
  pickAll(width: number, height: number): { id: number; properties: Record<string, unknown> }[];
}

export function createGarbageOverlay(): GarbageOverlay {
  const atlas = iconAtlas(allPointIcons());
  const control = new MapboxOverlay({ interleaved: true, layers: [] });
  const layer = (): MVTLayer | undefined => {
    const deck = (control as unknown as { _deck?: { layerManager?: { getLayers(o?: { layerIds?: string[] }): unknown[] } } })._deck;
    return deck?.layerManager?.getLayers({ layerIds: [GARBAGE_DECK_LAYER_ID] }).find((l) => (l as { id: string }).id === GARBAGE_DECK_LAYER_ID) as MVTLayer | undefined;
  };
  return {
    control,
    render(props, on) {
      const l = new MVTLayer({
        ...props,
        iconAtlas: atlas.canvas as unknown as string,
        iconMapping: atlas.mapping,
        loadOptions: { mvt: { workerUrl: mvtWorkerUrl } },
        onViewportLoad: () => on.viewportLoad(),
        onTileError: (error: Error) => on.tileError(error?.message ?? String(error)),
      } as unknown as ConstructorParameters<typeof MVTLayer>[0]);
      control.setProps({ layers: [l] });
    },
    isLoaded() {
      const l = layer();
      // Not yet created by deck.gl: it is about to be, with tiles still to load.
      if (!l) return false;
      return !l.props.visible || l.isLoaded;
    },
    pick(x, y) {
      const info = control.pickObject({ x, y, radius: 4, layerIds: [GARBAGE_DECK_LAYER_ID] }) as PickingInfo<GeoJSON.Feature> | null;
      const id = info?.object?.id;
      return id !== undefined && id !== null ? Number(id) : null;
    },
    pickAll(width, height) {
      const infos = control.pickObjects({ x: 0, y: 0, width, height, layerIds: [GARBAGE_DECK_LAYER_ID], maxObjects: 5000 }) as PickingInfo<GeoJSON.Feature>[];
      return infos.filter((i) => i.object?.id !== undefined).map((i) => ({ id: Number(i.object!.id), properties: (i.object!.properties ?? {}) as Record<string, unknown> }));
    },
  };
}
