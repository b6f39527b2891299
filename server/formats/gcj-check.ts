/**
 * Points taken from a Chinese web map (AMap, Tencent, Baidu's GCJ-02 layer) sit 300–600 m off
 * WGS84. If the imported points fit the township's roads much better once read as GCJ-02, the
 * import says so (and suggests crs=gcj02); nothing is changed on a guess.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { gcj02ToWgs84 } from './convert.js';

const SAMPLE = 200;

/** Median distances: as given over 60 m and at least three times the distance once converted. */
export async function gcjShiftWarning(db: Queryable, features: { geometry: unknown }[]): Promise<string | undefined> {
  const xs: number[] = [];
  const ys: number[] = [];
  const step = Math.max(1, Math.floor(features.length / SAMPLE));
  for (let i = 0; i < features.length && xs.length < SAMPLE; i += step) {
    const g = features[i]?.geometry as { type?: string; coordinates?: unknown } | null;
    if (!g || !g.coordinates) continue;
    let c: unknown = g.coordinates;
    while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
    const p = c as number[];
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') continue;
    // Inside China only: GCJ-02 is not offset elsewhere.
    if (p[0] < 72 || p[0] > 138 || p[1] < 0.8 || p[1] > 56) continue;
    xs.push(p[0]);
    ys.push(p[1]);
  }
  if (xs.length < 3) return undefined;
  const fixed = xs.map((x, i) => gcj02ToWgs84([x, ys[i]]));
  const { rows } = await db.query<{ given_m: number | null; corrected_m: number | null }>(sqlFile('import/road_distances'), [xs, ys, fixed.map((p) => p[0]), fixed.map((p) => p[1])]);
  const given = rows[0]?.given_m;
  const corrected = rows[0]?.corrected_m;
  if (given == null || corrected == null) return undefined;
  if (given > 60 && corrected * 3 < given) {
    return `the points look shifted: their median distance to the nearest road is ${Math.round(given)} m, but ${Math.round(corrected)} m if they are GCJ-02 (火星坐标, from AMap/Tencent maps). If they came from such a map, import again with ?crs=gcj02`;
  }
  return undefined;
}
