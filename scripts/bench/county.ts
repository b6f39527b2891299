/**
 * A county-scale data set for benchmarks, made on the fly (never committed): 2,000 km of roads,
 * 20,000 demolition sites and 200,000 garbage points in a 60 km square around Huaiyuan County.
 * Deterministic (fixed seed), so runs are comparable.
 */
import { mulberry32 } from '../demo/random.js';

export const COUNTY = { west: 116.95, south: 32.7, east: 117.6, north: 33.25 };

/** The demo generator's seeded generator (mulberry32), so runs are comparable. */
export const rng = mulberry32;

const M_PER_DEG_LAT = 110_900;
const M_PER_DEG_LON = 93_300; // at 33°N

type Pos = [number, number];
interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

/** Roads as gently wandering polylines, a vertex every 50 m, until `totalKm` is reached. */
export function roads(totalKm = 2000, seed = 1): Feature[] {
  const r = rng(seed);
  const out: Feature[] = [];
  let km = 0;
  const classes = ['national', 'provincial', 'county', 'township', 'village'] as const;
  while (km < totalKm) {
    const lengthM = 2_000 + r() * 8_000;
    let [lon, lat] = [COUNTY.west + 0.05 + r() * (COUNTY.east - COUNTY.west - 0.1), COUNTY.south + 0.05 + r() * (COUNTY.north - COUNTY.south - 0.1)];
    let heading = r() * 2 * Math.PI;
    const coords: Pos[] = [[+lon.toFixed(7), +lat.toFixed(7)]];
    for (let d = 50; d <= lengthM; d += 50) {
      heading += (r() - 0.5) * 0.08;
      lon += (50 * Math.cos(heading)) / M_PER_DEG_LON;
      lat += (50 * Math.sin(heading)) / M_PER_DEG_LAT;
      coords.push([+lon.toFixed(7), +lat.toFixed(7)]);
    }
    const cls = classes[out.length % classes.length];
    out.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: { code: `B${out.length}`, name: `测试道路${out.length}`, class: cls, width_m: 4 + (out.length % 10) } });
    km += lengthM / 1000;
  }
  return out;
}

/** Points scattered beside the given roads (0–40 m off a random vertex). */
function besideRoads(roadList: Feature[], n: number, seed: number, props: (i: number, r: () => number) => Record<string, unknown>): Feature[] {
  const r = rng(seed);
  const out: Feature[] = [];
  for (let i = 0; i < n; i++) {
    const road = roadList[Math.floor(r() * roadList.length)].geometry.coordinates as Pos[];
    const [lon, lat] = road[Math.floor(r() * road.length)];
    const off = r() * 40;
    const a = r() * 2 * Math.PI;
    out.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [+(lon + (off * Math.cos(a)) / M_PER_DEG_LON).toFixed(7), +(lat + (off * Math.sin(a)) / M_PER_DEG_LAT).toFixed(7)] },
      properties: props(i, r),
    });
  }
  return out;
}

export function demolitionSites(roadList: Feature[], n = 20_000, seed = 2): Feature[] {
  const kinds = ['pig_pen', 'dry_toilet', 'shed', 'illegal_building', 'other'];
  const statuses = ['identified', 'marked', 'notice_issued', 'demolished', 'exempt'];
  return besideRoads(roadList, n, seed, (i) => ({ kind: kinds[i % 5], status: statuses[(i >> 3) % 5], identified_on: '2026-06-01' }));
}

export function garbagePoints(roadList: Feature[], n = 200_000, seed = 3): Feature[] {
  const categories = ['domestic', 'construction', 'agricultural', 'bulky', 'mixed'];
  const statuses = ['reported', 'assigned', 'cleared', 'verified'];
  return besideRoads(roadList, n, seed, (i, r) => {
    const day = 1 + Math.floor(r() * 28);
    const status = statuses[i % 4];
    return {
      category: categories[i % 5],
      status,
      volume_t: Math.round(r() * 500) / 100,
      reported_at: `2026-10-${String(day).padStart(2, '0')}T09:00:00+08:00`,
      cleared_at: status === 'cleared' || status === 'verified' ? '2026-10-30T09:00:00+08:00' : null,
    };
  });
}

/**
 * A fixed list of distinct tiles, z10–z16, at places that hold data: up to `perZoom` per zoom
 * (the county has only a handful of z10 and z11 tiles).
 */
export function tileList(roadList: Feature[], perZoom = 40, seed = 4): [number, number, number][] {
  const r = rng(seed);
  const out: [number, number, number][] = [];
  const seen = new Set<string>();
  for (let z = 10; z <= 16; z++) {
    for (let i = 0; i < perZoom * 4 && out.filter((t) => t[0] === z).length < perZoom; i++) {
      const road = roadList[Math.floor(r() * roadList.length)].geometry.coordinates as Pos[];
      const [lon, lat] = road[Math.floor(r() * road.length)];
      const n = 2 ** z;
      const rad = (lat * Math.PI) / 180;
      const tile: [number, number, number] = [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)];
      if (seen.has(tile.join('/'))) continue;
      seen.add(tile.join('/'));
      out.push(tile);
    }
  }
  return out;
}
