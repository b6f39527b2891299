/** What every reader hands the import: features in the file's own coordinates, in batches. */
import type { Crs } from './crs.js';
import type { Encoding } from './text.js';
import type { Geom } from './wkb.js';

export interface SourceFeature {
  type: 'Feature';
  geometry: Geom | null;
  properties: Record<string, unknown>;
}

export type Format = 'geojson' | 'shp' | 'gpkg' | 'kml' | 'kmz' | 'gpx' | 'csv' | 'xlsx';

export interface FileMeta {
  format: Format;
  /** The coordinate system the file declares (.prj, GeoPackage SRS); undefined: none. */
  crs?: Crs;
  /** For tables: the coordinates are given as x/y (projected) rather than lon/lat. */
  tableCoordinates?: 'lonlat' | 'xy' | 'wkt';
  fields: string[];
  warnings: string[];
  encoding?: Encoding;
}

/**
 * A file opened for import: what it is, a first sample of its features (for telling the
 * coordinate system and for the preview), and its features in batches, read from the file as
 * they are asked for, so that only one batch exists as objects at a time.
 */
export interface OpenedFile extends FileMeta {
  /** Up to the first 100 features. */
  sample: SourceFeature[];
  batches(size: number): AsyncGenerator<SourceFeature[]>;
  /** Frees what the reader holds (a GeoPackage's database) when the batches were not read to the end. */
  close?(): void;
}

/** A whole file's features (tests and small files). */
export interface ReadResult extends FileMeta {
  features: SourceFeature[];
}

/** Hands out `features` in batches (readers that build their features in one go). */
export function fromArray(meta: FileMeta, features: SourceFeature[]): OpenedFile {
  return {
    ...meta,
    sample: features.slice(0, 100),
    async *batches(size: number) {
      for (let i = 0; i < features.length; i += size) yield features.slice(i, i + size);
    },
  };
}

/** The first `n` features of a batch generator. */
export async function firstOf(batches: AsyncGenerator<SourceFeature[]>, n = 100): Promise<SourceFeature[]> {
  const out: SourceFeature[] = [];
  for await (const b of batches) {
    out.push(...b.slice(0, n - out.length));
    if (out.length >= n) break;
  }
  return out;
}
