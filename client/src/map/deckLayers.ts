/**
 * Garbage points at z ≥ 12 are drawn by deck.gl, interleaved into the MapLibre map.
 *
 * Why deck.gl here and not a MapLibre symbol layer: a county holds 200,000 garbage points and a
 * view at z12–14 shows tens of thousands. MapLibre lays out every icon of a symbol layer on the
 * CPU (worker layout, then collision placement on the main thread, redone as the camera moves),
 * which costs frames while panning. deck.gl's MVTLayer decodes each tile straight into binary
 * typed arrays (in a web worker) and its IconLayer draws all of them as one instanced GPU draw
 * call with no placement step, so pan and zoom frames stay short whatever the point count.
 * Clusters (z ≤ 11) stay in MapLibre: few features, and their count labels need collision.
 *
 * The function is pure: the same options give the same props (and the same layer id).
 */
import { POINTS_MIN_ZOOM, DECK_BEFORE_ID, type LayerOptions } from './layers';
import { tileUrl, selectsNothing } from './filters';
import { iconId } from './symbology';
import { ICON_SIZE } from './symbols';

export const GARBAGE_DECK_LAYER_ID = 'garbage_points-points';

export interface GarbageDeckProps {
  id: string;
  data: string;
  visible: boolean;
  minZoom: number;
  maxZoom: number;
  /** deck.gl picks a tile zoom by rounding; −0.5 makes it floor like MapLibre, so z11.5 keeps clusters. */
  zoomOffset: number;
  binary: boolean;
  pickable: boolean;
  uniqueIdProperty?: string;
  beforeId: string;
  pointType: 'icon';
  getIcon: (f: { properties: Record<string, unknown> }) => string;
  getIconSize: number;
  iconSizeUnits: 'pixels';
  iconSizeScale: number;
  iconBillboard: boolean;
  /** Keeps fetched tiles while filters stay the same (a new version or filter gives a new URL). */
  maxCacheSize: number;
  updateTriggers: Record<string, unknown>;
}

export function garbageDeckProps(o: LayerOptions): GarbageDeckProps {
  const collection = 'garbage_points';
  const shown = o.visible[collection] !== false && !selectsNothing(o.filters[collection]);
  const data = tileUrl(o.origin, collection, o.filters[collection], o.versions[collection] ?? 0);
  return {
    id: GARBAGE_DECK_LAYER_ID,
    data,
    visible: shown,
    // Below minZoom no tile is requested at all: clusters are MapLibre's job there.
    minZoom: POINTS_MIN_ZOOM,
    maxZoom: 16,
    zoomOffset: -0.5,
    binary: true,
    pickable: true,
    beforeId: DECK_BEFORE_ID,
    pointType: 'icon',
    getIcon: (f) => iconId.garbage(String(f.properties.status ?? 'reported')),
    getIconSize: ICON_SIZE,
    iconSizeUnits: 'pixels',
    iconSizeScale: 0.8,
    iconBillboard: true,
    maxCacheSize: 256,
    updateTriggers: { getIcon: data },
  };
}
