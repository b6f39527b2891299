/**
 * The township outline and its 17 villages: Voronoi cells of the village settlements, clipped to
 * the outline, so that the villages tile the township with no gap and no overlap.
 */
import * as turf from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { Random } from './random.js';
import { SEED, VILLAGE_SITES, VILLAGE_CODE_PREFIX } from './config.js';
import { type XY, closeRing, add, pointInRing, signedArea } from './plane.js';

/**
 * A rounded, irregular outline about 11 km across: a circle of 5.6 km radius whose radius
 * wobbles with a few low harmonics, as township borders follow fields and ditches.
 * Metric plane coordinates, closed and counter-clockwise.
 */
export function townshipOutline(): XY[] {
  const rng = new Random(SEED).fork('township');
  const phases = [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)];
  const n = 96;
  const ring: XY[] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = 5600 * (1 + 0.05 * Math.sin(2 * t + phases[0]) + 0.035 * Math.sin(3 * t + phases[1]) + 0.02 * Math.sin(5 * t + phases[2]));
    ring.push([r * Math.cos(t), r * Math.sin(t)]);
  }
  return closeRing(ring);
}

export interface Village {
  name: string; // e.g. 杨圩村
  short: string; // e.g. 杨圩, as used in plot codes
  code: string;
  /** Where the settlement (the village's houses) is. */
  site: XY;
  ring: XY[];
  /** m² in the plane; for weighting choices only (the published areas are measured with turf). */
  area: number;
}

/** The villages as Voronoi cells of their (jittered) settlements, clipped to the outline. */
export function makeVillages(outline: XY[]): Village[] {
  const rng = new Random(SEED).fork('villages');
  const sites = VILLAGE_SITES.map((v) => add(v.at, [rng.uniform(-200, 200), rng.uniform(-200, 200)]));
  for (const s of sites) if (!pointInRing(s, outline)) throw new Error(`village site ${s} is outside the township`);
  // turf.voronoi and turf.intersect are planar: fed with metres they work in metres.
  const cells = turf.voronoi(turf.featureCollection(sites.map((s) => turf.point(s))), { bbox: [-12000, -12000, 12000, 12000] });
  const township = turf.polygon([outline]);
  return VILLAGE_SITES.map((v, i) => {
    const clipped = turf.intersect(turf.featureCollection([cells.features[i] as Feature<Polygon>, township]));
    if (!clipped || clipped.geometry.type !== 'Polygon') throw new Error(`village ${v.name} is not a single polygon`);
    const ring = closeRing(clipped.geometry.coordinates[0] as XY[]);
    return {
      name: `${v.name}村`,
      short: v.name,
      code: `${VILLAGE_CODE_PREFIX}${String(201 + i)}`,
      site: sites[i],
      ring,
      area: Math.abs(signedArea(ring)),
    };
  });
}

/** The village whose cell holds p (the nearest settlement if p is outside the township). */
export function villageAt(villages: readonly Village[], p: XY): Village {
  const inside = villages.find((v) => pointInRing(p, v.ring));
  if (inside) return inside;
  let best = villages[0];
  for (const v of villages) if (Math.hypot(v.site[0] - p[0], v.site[1] - p[1]) < Math.hypot(best.site[0] - p[0], best.site[1] - p[1])) best = v;
  return best;
}
