/**
 * Sanitation facilities 《seed, 第三篇: 为县乡道路沿线各村修建垃圾池160个、配备垃圾桶450个、保洁三轮车30辆》:
 * pools and bins beside the roads (mostly county, township and village roads), one transfer
 * station at the township seat, and tricycle depots in some villages. Bins along the roads are
 * often damaged or lost 《seed, 第五篇》.
 */
import type { Random } from './random.js';
import type { XY, Polyline } from './plane.js';
import { type Road, type RoadClass, halfWidth, mainLine } from './roads.js';
import type { Obstacles } from './obstacles.js';
import type { Village } from './township.js';
import { FACILITIES, DEMO_AS_OF } from './config.js';
import { addDays } from './dates.js';

export type FacilityKind = 'garbage_pool' | 'bin' | 'transfer_station' | 'tricycle_depot';
export type Condition = 'good' | 'damaged' | 'missing';

export interface Facility {
  at: XY;
  kind: FacilityKind;
  condition: Condition;
  capacity: number;
  installedOn?: string;
}

const POOL_WEIGHT: Record<RoadClass, number> = { national: 0.2, provincial: 0.8, county: 2, township: 2.5, village: 3 };
const BIN_WEIGHT: Record<RoadClass, number> = { national: 0.5, provincial: 1.5, county: 2, township: 2.5, village: 2 };

/** Splits `count` among the items in proportion to their weights (largest remainder). */
function apportion(weights: readonly number[], count: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * count);
  const out = exact.map(Math.floor);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; k < count - out.reduce((a, b) => a + b, 0); k++) out[order[k].i]++;
  return out;
}

/**
 * `count` places spread evenly along the roads, 3–12 m off the centre line and off every other
 * road's carriageway.
 */
function alongRoads(rng: Random, roads: readonly Road[], weight: Record<RoadClass, number>, count: number, obstacles: Obstacles): XY[] {
  const parts = roads.flatMap((r) => r.parts.map((line) => ({ road: r, line })));
  const shares = apportion(parts.map((p) => p.line.length * weight[p.road.class]), count);
  const out: XY[] = [];
  const place = (road: Road, line: Polyline, s: number): boolean => {
    const offset = rng.uniform(Math.max(3, halfWidth(road) + 0.5), 12);
    const p = line.offset(Math.max(5, Math.min(s, line.length - 5)), rng.sign() * offset, 10);
    if (obstacles.distanceTo(p, ['road'], 30, road.code) < 1 || !obstacles.pointIsClear(p, { canal: 60, river: 35, pond: 2 })) return false;
    out.push(p);
    return true;
  };
  parts.forEach(({ road, line }, k) => {
    const n = shares[k];
    for (let i = 0; i < n; i++) {
      const s = ((i + 0.5 + rng.uniform(-0.3, 0.3)) * line.length) / n;
      for (let attempt = 0; attempt < 30 && !place(road, line, s + attempt * 7); attempt++);
    }
  });
  // Whatever could not be placed where planned (at a junction, a bridge) goes elsewhere on the same class of road.
  while (out.length < count) {
    const { road, line } = rng.weighted(parts, parts.map((p) => p.line.length * weight[p.road.class]));
    place(road, line, rng.uniform(0, line.length));
  }
  return out;
}

/** A date between two dates (inclusive). */
function dateBetween(rng: Random, from: string, to: string): string {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86400_000);
  return addDays(from, rng.int(0, days));
}

/** Exactly `n` indexes of `total`, chosen at random. */
function someOf(rng: Random, total: number, n: number): Set<number> {
  return new Set(rng.shuffle(Array.from({ length: total }, (_, i) => i)).slice(0, n));
}

function nearestRoadPoint(roads: readonly Road[], p: XY): { road: Road; line: Polyline; s: number } {
  let best = { road: roads[0], line: mainLine(roads[0]), s: 0, d: Infinity };
  for (const road of roads) for (const line of road.parts) {
    const { s, distance } = line.project(p);
    if (distance < best.d) best = { road, line, s, d: distance };
  }
  return best;
}

export function makeFacilities(rng: Random, roads: readonly Road[], villages: readonly Village[], obstacles: Obstacles): Facility[] {
  const out: Facility[] = [];

  // Pools were built in the 2015 campaign, a few later; most are still in good order.
  const pools = alongRoads(rng, roads, POOL_WEIGHT, FACILITIES.pools, obstacles);
  const poolDamaged = someOf(rng, pools.length, 8), poolMissing = someOf(rng, pools.length, 2);
  pools.forEach((at, i) => out.push({
    at, kind: 'garbage_pool',
    condition: poolMissing.has(i) ? 'missing' : poolDamaged.has(i) ? 'damaged' : 'good',
    capacity: rng.pick([2, 2.5, 3, 3, 3.5, 4, 5, 6]),
    installedOn: rng.chance(0.05) ? undefined : rng.chance(0.88) ? dateBetween(rng, '2015-04-01', '2016-12-31') : dateBetween(rng, '2017-01-01', '2024-12-31'),
  }));

  // Bins: 10 % damaged and 5 % lost; part of them are the 200 added since 《seed, 第五篇: 准备再添200个》.
  const bins = alongRoads(rng, roads, BIN_WEIGHT, FACILITIES.bins, obstacles);
  const missing = someOf(rng, bins.length, Math.round(bins.length * 0.05));
  const damaged = new Set([...someOf(rng, bins.length, Math.round(bins.length * 0.1) + missing.size)].filter((i) => !missing.has(i)).slice(0, Math.round(bins.length * 0.1)));
  bins.forEach((at, i) => out.push({
    at, kind: 'bin',
    condition: missing.has(i) ? 'missing' : damaged.has(i) ? 'damaged' : 'good',
    capacity: 0.24,
    installedOn: rng.chance(0.2) ? undefined : rng.chance(0.55) ? dateBetween(rng, '2015-04-01', '2016-12-31') : dateBetween(rng, '2026-03-01', addDays(DEMO_AS_OF, -20)),
  }));

  // The transfer station sits back from S307 just west of the seat.
  const s307 = mainLine(roads.find((r) => r.code === 'S307')!);
  const seat = s307.project([-900, 0]).s;
  out.push({ at: s307.offset(seat, 35, 10), kind: 'transfer_station', condition: 'good', capacity: 30, installedOn: '2016-06-18' });

  // Tricycle depots in twelve villages; their capacities (tricycles) add up to the 30 of the seeds.
  const depots = rng.shuffle(villages).slice(0, 12);
  const extra = someOf(rng, depots.length, FACILITIES.tricycles - 2 * depots.length);
  depots.forEach((v, i) => {
    const { road, line, s } = nearestRoadPoint(roads, v.site);
    let at = line.offset(s, rng.sign() * Math.max(halfWidth(road) + 3, rng.uniform(8, 12)), 10);
    for (let k = 1; obstacles.distanceTo(at, ['road'], 30, road.code) < 2 && k < 20; k++) at = line.offset(s + k * 15, Math.max(halfWidth(road) + 3, 9), 10);
    out.push({ at, kind: 'tricycle_depot', condition: 'good', capacity: 2 + (extra.has(i) ? 1 : 0), installedOn: dateBetween(rng, '2015-05-01', '2015-12-31') });
  });
  return out;
}

export function facilityProperties(f: Facility): Record<string, unknown> {
  return { kind: f.kind, condition: f.condition, capacity: f.capacity, ...(f.installedOn ? { installed_on: f.installedOn } : {}) };
}
