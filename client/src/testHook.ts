/**
 * window.__remap: what end-to-end tests and the benchmark need to read the map back (never used
 * by the app itself): the MapLibre map, a promise for "all layers loaded", and the features
 * each layer has drawn (MapLibre's queryRenderedFeatures, deck.gl's GPU picking).
 */
import type { MapController } from './map/MapController';

declare global {
  interface Window {
    __remap?: {
      map: MapController['map'];
      whenIdle(timeoutMs?: number): Promise<void>;
      rendered(collection: string): { id: number; properties: Record<string, unknown> }[];
      project(lngLat: [number, number]): { x: number; y: number };
      /** Milliseconds from navigation start to the first time every layer had loaded. */
      firstFullRenderMs?: number;
    };
  }
}

export function installTestHook(c: MapController | null): void {
  if (!c) {
    delete window.__remap;
    return;
  }
  const hook: NonNullable<Window['__remap']> = {
    map: c.map,
    whenIdle: (timeoutMs) => c.whenIdle(timeoutMs),
    rendered: (collection) => c.renderedFeatures(collection),
    project: (lngLat) => c.project(lngLat),
  };
  window.__remap = hook;
  void c.whenIdle(60_000).then(
    () => {
      hook.firstFullRenderMs = performance.now();
    },
    () => {},
  );
}
