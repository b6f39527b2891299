/**
 * From the metric plane to GeoJSON: lon/lat rounded to 7 decimals (about 1 cm), compact files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as turf from '@turf/turf';
import { type XY, toLonLat } from './plane.js';
import { M2_PER_MU } from './config.js';

export type Position = [number, number];

export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
export const round1 = (v: number): number => Math.round(v * 10) / 10;
export const round2 = (v: number): number => Math.round(v * 100) / 100;

export function lonLat(p: XY): Position {
  const [lon, lat] = toLonLat(p);
  return [round7(lon), round7(lat)];
}

/** Rounded positions without the repeats that rounding could make. */
export function lineCoords(points: readonly XY[]): Position[] {
  const out: Position[] = [];
  for (const p of points) {
    const q = lonLat(p);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

/** A closed ring of rounded positions. */
export function ringCoords(ring: readonly XY[]): Position[] {
  const out = lineCoords(ring);
  const [first, last] = [out[0], out[out.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) out.push(first);
  return out;
}

/** Geodesic area in 亩 of a ring as it will be published (rounded), measured like the server does. */
export function areaMu(ring: readonly XY[]): number {
  return turf.area(turf.polygon([ringCoords(ring)])) / M2_PER_MU;
}

export type Geometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] };

export interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: Geometry;
}

export function feature(geometry: Geometry, properties: Record<string, unknown>): Feature {
  return { type: 'Feature', properties, geometry };
}

export const pointGeometry = (p: XY): Geometry => ({ type: 'Point', coordinates: lonLat(p) });
export const polygonGeometry = (ring: readonly XY[]): Geometry => ({ type: 'Polygon', coordinates: [ringCoords(ring)] });

/** One FeatureCollection per file, no pretty-printing: the files are read by programs. */
export function writeCollection(dir: string, id: string, features: readonly Feature[]): number {
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify({ type: 'FeatureCollection', name: id, features })}\n`;
  writeFileSync(join(dir, `${id}.geojson`), text);
  return Buffer.byteLength(text);
}
