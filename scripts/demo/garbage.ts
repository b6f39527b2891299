/**
 * Garbage points of the last 12 months: mostly roadside piles a few metres off the centre line
 * (trunk and provincial roads get more, being patrolled and scored), floating debris on the
 * canal, the river and ponds 《seed, 第三篇: 路边柴草垃圾乱推乱放…垃圾池外溢、沟塘漂浮物多》.
 */
import type { Random } from './random.js';
import { type XY, pointInRing, bboxOf } from './plane.js';
import type { Road, RoadClass } from './roads.js';
import type { Waterway } from './waterways.js';
import { DAY, HOUR, AS_OF_START, DAYS_IN_YEAR, dayStart, shanghaiMonth, shanghaiDateTime } from './dates.js';
import { round2 } from './geojson.js';

export type Category = 'domestic' | 'construction' | 'agricultural' | 'bulky' | 'hazardous' | 'floating_debris' | 'mixed';
export type GarbageStatus = 'reported' | 'assigned' | 'cleared' | 'verified';

export interface GarbagePoint {
  at: XY;
  category: Category;
  status: GarbageStatus;
  volumeT: number;
  description?: string;
  reportedAt: number;
  clearedAt?: number;
}

/** Patrols and complaints per km by road class. */
const ROAD_WEIGHT: Record<RoadClass, number> = { national: 1.5, provincial: 3, county: 1.5, township: 3, village: 1 };

const DESCRIPTIONS: Record<Category, string[]> = {
  domestic: ['路边生活垃圾堆放', '生活垃圾随意倾倒', '垃圾池外溢', '垃圾桶满溢', '塑料袋散落路肩'],
  construction: ['建筑垃圾倾倒路边', '装修垃圾堆放', '碎砖瓦堆放占道'],
  agricultural: ['秸秆柴草乱堆', '柴草堆放路肩', '枯枝落叶堆积'],
  bulky: ['废旧家具丢弃', '废旧床垫丢弃'],
  hazardous: ['废旧农药瓶', '废旧电池', '废弃灯管'],
  floating_debris: ['水面漂浮物', '塘面漂浮垃圾', '河面漂浮秸秆'],
  mixed: ['混合垃圾堆放', '垃圾池外溢，周边散落'],
};

/** Straw and brush pile up after the wheat (June) and the autumn harvest (October). */
function harvestFactor(month: number): number {
  return { 5: 1.3, 6: 2.5, 10: 2, 11: 1.3 }[month] ?? 0.6;
}

function categoryFor(rng: Random, t: number): Exclude<Category, 'floating_debris'> {
  const cats = ['domestic', 'construction', 'agricultural', 'bulky', 'hazardous', 'mixed'] as const;
  return rng.weighted(cats, [0.47, 0.12, 0.13 * harvestFactor(shanghaiMonth(t)), 0.07, 0.02, 0.12]);
}

function volumeFor(rng: Random, c: Category): number {
  const v = {
    domestic: () => rng.uniform(0.05, 1.2),
    construction: () => (rng.chance(0.08) ? rng.uniform(5, 20) : rng.uniform(0.5, 5)),
    agricultural: () => rng.uniform(0.2, 3),
    bulky: () => rng.uniform(0.1, 1),
    hazardous: () => rng.uniform(0.05, 0.2),
    floating_debris: () => rng.uniform(0.05, 0.5),
    mixed: () => rng.uniform(0.1, 2),
  }[c]();
  return Math.max(0.05, round2(v));
}

/** A moment during working hours on a random day of the 12 months. */
function reportedAt(rng: Random): number {
  return dayStart(rng.int(0, DAYS_IN_YEAR - 1)) + rng.uniform(7, 19) * HOUR;
}

/**
 * Most piles are cleared within a few days of the report (and often verified at the re-check);
 * one in seven waits 6–19 days, and a few old ones still linger, as the monthly ledgers show:
 * most kilometres qualify, some do not. Recent reports are still open.
 */
function lifecycle(rng: Random, t: number): { status: GarbageStatus; clearedAt?: number } {
  const age = (AS_OF_START - t) / DAY;
  const pOpen = age < 2 ? 0.9 : age < 7 ? 0.5 : age < 30 ? 0.1 : age < 90 ? 0.02 : 0.003;
  const maxDelay = Math.min(20, Math.floor(age - 0.25));
  if (rng.chance(pOpen) || maxDelay < 1) return { status: age > 1 && rng.chance(0.55) ? 'assigned' : 'reported' };
  const delay = Math.min(maxDelay, rng.chance(0.86) ? rng.int(1, 5) : rng.int(6, 19));
  const clearedAt = t + delay * DAY + rng.uniform(0, 4) * HOUR;
  const sinceCleared = (AS_OF_START - clearedAt) / DAY;
  return { status: rng.chance(sinceCleared > 7 ? 0.75 : 0.3) ? 'verified' : 'cleared', clearedAt: Math.min(clearedAt, AS_OF_START - HOUR) };
}

interface Spot {
  line: Road['parts'][number];
  s: number;
  side: 1 | -1;
  offset: number;
}

/** A place on a road, chosen by length and class weight, 2–25 m off the centre line. */
function roadsideSpot(rng: Random, roads: readonly Road[]): Spot {
  const parts = roads.flatMap((r) => r.parts.map((line) => ({ line, w: line.length * ROAD_WEIGHT[r.class] })));
  const { line } = rng.weighted(parts, parts.map((p) => p.w));
  return { line, s: rng.uniform(0, line.length), side: rng.sign(), offset: 2 + 23 * rng.float() ** 1.5 };
}

function spotPoint(spot: Spot): XY {
  return spot.line.offset(spot.s, spot.side * Math.min(25, Math.max(2, spot.offset)), 10);
}

/** Floating debris: on the canal or river (within 18 m of its line) or on a pond. */
function onWater(rng: Random, waters: readonly Waterway[]): XY {
  const lines = waters.filter((w) => w.line), ponds = waters.filter((w) => w.ring);
  if (rng.chance(0.55)) {
    const line = rng.pick(lines).line!;
    return line.offset(rng.uniform(0, line.length), rng.uniform(-18, 18), 40);
  }
  const ring = rng.pick(ponds).ring!;
  const b = bboxOf(ring);
  for (;;) {
    const p: XY = [rng.uniform(b.minX, b.maxX), rng.uniform(b.minY, b.maxY)];
    if (pointInRing(p, ring)) return p;
  }
}

export function makeGarbagePoints(rng: Random, roads: readonly Road[], waters: readonly Waterway[], count: number): GarbagePoint[] {
  // Some places are dumped on again and again: a quarter of the piles are at one of 80 hot spots.
  const hotSpots = Array.from({ length: 80 }, () => roadsideSpot(rng, roads));
  const points: GarbagePoint[] = [];
  for (let i = 0; i < count; i++) {
    const t = reportedAt(rng);
    let at: XY;
    let category: Category;
    if (rng.chance(0.07)) {
      category = 'floating_debris';
      at = onWater(rng, waters);
    } else {
      category = categoryFor(rng, t);
      const spot = rng.chance(0.25) ? { ...rng.pick(hotSpots) } : roadsideSpot(rng, roads);
      spot.s += rng.uniform(-15, 15);
      spot.offset += rng.uniform(-2, 2);
      at = spotPoint(spot);
    }
    const { status, clearedAt } = lifecycle(rng, t);
    points.push({
      at, category, status, volumeT: volumeFor(rng, category),
      description: rng.chance(0.6) ? rng.pick(DESCRIPTIONS[category]) : undefined,
      reportedAt: t, clearedAt,
    });
  }
  return points.sort((a, b) => a.reportedAt - b.reportedAt);
}

export function garbageProperties(p: GarbagePoint): Record<string, unknown> {
  return {
    category: p.category,
    status: p.status,
    volume_t: p.volumeT,
    ...(p.description ? { description: p.description } : {}),
    reported_at: shanghaiDateTime(p.reportedAt),
    ...(p.clearedAt !== undefined ? { cleared_at: shanghaiDateTime(p.clearedAt) } : {}),
  };
}
