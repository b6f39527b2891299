/** The MapController instance for components that act on the map (search, tools, forms). */
import { createContext, useContext } from 'react';
import type { MapController } from './MapController';

export const MapContext = createContext<MapController | null>(null);

export function useMapController(): MapController | null {
  return useContext(MapContext);
}
