/** Where a write happened, for the tile cache: the lon/lat extent of the geometries it touched. */
import { bbox } from '@turf/bbox';
import type { Extent } from './cache.js';

/** The extent of these geometries (those missing are skipped), or undefined when there are none. */
export function extentOf(geometries: Iterable<GeoJSON.Geometry | null | undefined>): Extent | undefined {
  let e: Extent | undefined;
  for (const g of geometries) {
    if (!g) continue;
    const [w, s, east, n] = bbox(g);
    if (![w, s, east, n].every(Number.isFinite)) continue;
    e = e ? [Math.min(e[0], w), Math.min(e[1], s), Math.max(e[2], east), Math.max(e[3], n)] : [w, s, east, n];
  }
  return e;
}

