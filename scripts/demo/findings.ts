/**
 * Findings (巡查问题) of the last six months: what inspectors photograph on patrol along the roads
 * and waterways. Most are one-off; about a third are at 14 places where the same problem comes
 * back (a dumping corner, a straw pile after each harvest, an advertising pole), a few metres
 * apart, so the server links them as repeats (same category within 20 m and 90 days) and shows
 * hotspots. Recent findings are open; older ones were mostly fixed and verified. No photos (the
 * demo has no media) and no converted findings (a conversion points at a feature it made).
 */
import type { Random } from './random.js';
import type { XY } from './plane.js';
import type { Road } from './roads.js';
import type { Waterway } from './waterways.js';
import { DAY, HOUR, AS_OF_START, shanghaiDateTime } from './dates.js';

export type FindingCategory = 'roadside_garbage' | 'construction_waste' | 'straw_pile' | 'overflowing_pool' | 'floating_debris' | 'illegal_ad' | 'damaged_bin' | 'prohibited_structure' | 'other';

export interface Finding {
  at: XY;
  category: FindingCategory;
  status: 'open' | 'verified';
  description?: string;
  foundAt: number;
  inspector: string;
}

const DAYS = 182;
const INSPECTORS = ['张建国', '李卫东', '王海燕', '刘志强', '陈静'];

const DESCRIPTIONS: Record<FindingCategory, string[]> = {
  roadside_garbage: ['路边生活垃圾堆放', '路肩塑料袋散落', '垃圾随意倾倒'],
  construction_waste: ['建筑垃圾倾倒路边', '碎砖瓦堆放占道'],
  straw_pile: ['秸秆柴草乱堆', '柴草堆放路肩'],
  overflowing_pool: ['垃圾池满溢', '垃圾池外溢，周边散落'],
  floating_debris: ['水面漂浮物', '塘面漂浮垃圾'],
  illegal_ad: ['电线杆小广告', '违规张贴广告牌'],
  damaged_bin: ['垃圾桶破损', '垃圾桶缺盖'],
  prohibited_structure: ['控制区内新搭柴棚', '路边违建猪圈', '建筑控制区内旱厕'],
  other: ['路面积水', '占道晾晒'],
};

const WEIGHTS: [FindingCategory, number][] = [
  ['roadside_garbage', 0.3], ['construction_waste', 0.1], ['straw_pile', 0.12], ['overflowing_pool', 0.1], ['floating_debris', 0.08],
  ['illegal_ad', 0.1], ['damaged_bin', 0.07], ['prohibited_structure', 0.08], ['other', 0.05],
];

function roadside(rng: Random, roads: readonly Road[], offset: [number, number]): XY {
  const parts = roads.flatMap((r) => r.parts);
  const line = rng.weighted(parts, parts.map((p) => p.length));
  return line.offset(rng.uniform(0, line.length), rng.sign() * rng.uniform(offset[0], offset[1]), 10);
}

function onWater(rng: Random, waters: readonly Waterway[]): XY {
  const line = rng.pick(waters.filter((w) => w.line)).line!;
  return line.offset(rng.uniform(0, line.length), rng.uniform(-15, 15), 40);
}

function statusFor(rng: Random, t: number): Finding['status'] {
  const age = (AS_OF_START - t) / DAY;
  return rng.chance(age < 14 ? 0.95 : age < 45 ? 0.4 : 0.08) ? 'open' : 'verified';
}

export function makeFindings(rng: Random, roads: readonly Road[], waters: readonly Waterway[], count: number): Finding[] {
  const at = () => AS_OF_START - rng.uniform(0.2, DAYS) * DAY + rng.uniform(-4, 4) * HOUR;
  const found: Finding[] = [];
  const add = (p: XY, category: FindingCategory, t: number) => found.push({
    at: p, category, foundAt: t, status: statusFor(rng, t), inspector: rng.pick(INSPECTORS),
    description: rng.chance(0.8) ? rng.pick(DESCRIPTIONS[category]) : undefined,
  });
  // Places where the same problem keeps coming back, each found 3–7 times within a few weeks.
  const recurring: FindingCategory[] = ['roadside_garbage', 'roadside_garbage', 'roadside_garbage', 'roadside_garbage', 'straw_pile', 'straw_pile', 'straw_pile',
    'construction_waste', 'construction_waste', 'overflowing_pool', 'overflowing_pool', 'illegal_ad', 'illegal_ad', 'floating_debris'];
  for (const category of recurring) {
    const centre = category === 'floating_debris' ? onWater(rng, waters) : roadside(rng, roads, [4, 20]);
    const first = AS_OF_START - rng.uniform(20, DAYS - 10) * DAY;
    const n = rng.int(3, 7);
    for (let i = 0; i < n; i++) {
      const t = Math.min(AS_OF_START - 0.2 * DAY, first + i * rng.uniform(4, 16) * DAY);
      add([centre[0] + rng.uniform(-6, 6), centre[1] + rng.uniform(-6, 6)], category, t);
    }
  }
  while (found.length < count) {
    const category = rng.weighted(WEIGHTS.map((w) => w[0]), WEIGHTS.map((w) => w[1]));
    const p = category === 'floating_debris' ? onWater(rng, waters)
      : category === 'prohibited_structure' ? roadside(rng, roads, [3, 9])
        : roadside(rng, roads, [2, 25]);
    add(p, category, at());
  }
  // Sorted by time: the server links a repeat to an earlier finding written before it.
  return found.sort((a, b) => a.foundAt - b.foundAt);
}

export function findingProperties(f: Finding): Record<string, unknown> {
  return {
    category: f.category,
    status: f.status,
    ...(f.description ? { description: f.description } : {}),
    found_at: shanghaiDateTime(f.foundAt),
    inspector: f.inspector,
  };
}
