/**
 * Mapbox Vector Tile encoding in TypeScript for the embedded engine (see sql/tiles/geometries.sql).
 * The rows already hold tile-space geometry; this only maps GeoJSON shapes to MVT command
 * geometry and hands it to vt-pbf, Mapbox's encoder.
 */
import vtpbf from 'vt-pbf';

export const EXTENT = 4096;

type Pos = [number, number];
interface TileFeature {
  id: number;
  type: 1 | 2 | 3;
  geometry: Pos[] | Pos[][];
  tags: Record<string, unknown>;
}

interface Row {
  id: number;
  geom: string;
  [tag: string]: unknown;
}

function toTileFeature(row: Row): TileFeature | undefined {
  const g = JSON.parse(row.geom) as { type: string; coordinates: unknown };
  const { id, geom: _geom, ...tags } = row;
  switch (g.type) {
    case 'Point':
      return { id, type: 1, geometry: [g.coordinates as Pos], tags };
    case 'MultiPoint':
      return { id, type: 1, geometry: g.coordinates as Pos[], tags };
    case 'LineString':
      return { id, type: 2, geometry: [g.coordinates as Pos[]], tags };
    case 'MultiLineString':
      return { id, type: 2, geometry: g.coordinates as Pos[][], tags };
    case 'Polygon':
      return { id, type: 3, geometry: g.coordinates as Pos[][], tags };
    case 'MultiPolygon':
      return { id, type: 3, geometry: (g.coordinates as Pos[][][]).flat(), tags };
    default:
      return undefined; // a collection left over from clipping carries nothing drawable
  }
}

/** Encodes one layer; returns undefined when no feature is left (an empty tile). */
export function encodeLayer(layer: string, rows: Row[]): Uint8Array | undefined {
  const features = rows.map(toTileFeature).filter((f): f is TileFeature => f !== undefined);
  if (!features.length) return undefined;
  // vt-pbf reads only `features` of a geojson-vt tile; its type names the whole tile object.
  const tile = { features } as unknown as Parameters<typeof vtpbf.fromGeojsonVt>[0][string];
  return vtpbf.fromGeojsonVt({ [layer]: tile }, { version: 2, extent: EXTENT });
}
