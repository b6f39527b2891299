/** Length and area of a measured line or polygon, geodesic (turf), in metres and m². Pure. */
import { area as turfArea, length as turfLength, feature } from '@turf/turf';

type Measured = GeoJSON.Point | GeoJSON.LineString | GeoJSON.Polygon;

export function measure(g: Measured | null): { length_m?: number; area_m2?: number } {
  if (!g) return {};
  if (g.type === 'LineString' && g.coordinates.length >= 2) return { length_m: turfLength(feature(g), { units: 'kilometers' }) * 1000 };
  if (g.type === 'Polygon' && g.coordinates[0]?.length >= 4) {
    const ring: GeoJSON.LineString = { type: 'LineString', coordinates: g.coordinates[0] };
    return { area_m2: turfArea(feature(g)), length_m: turfLength(feature(ring), { units: 'kilometers' }) * 1000 };
  }
  return {};
}

