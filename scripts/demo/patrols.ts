/**
 * Patrol tracks (巡查轨迹) of the last three months before DEMO_AS_OF: four named inspectors, each
 * with the roads of their beat, driving a stretch of one road per patrol. The track is what a
 * phone records: a point about every 30 m, a few metres off the centre line on the driving side,
 * with GPS jitter. Coverage is deliberately partial: one inspector stopped patrolling in November
 * (their roads were patrolled before, not this month), and most village roads in the east are
 * on nobody's beat (never patrolled).
 */
import type { Random } from './random.js';
import type { Road } from './roads.js';
import { mainLine } from './roads.js';
import type { XY } from './plane.js';
import { DAY, HOUR, shanghaiDateTime } from './dates.js';
import { DEMO_AS_OF } from './config.js';

export interface Patrol {
  inspector: string;
  patrolledOn: string;
  startedAt: string;
  endedAt: string;
  road: string;
  points: XY[];
}

interface Beat {
  inspector: string;
  roads: string[];
  /** Patrols a week. */
  perWeek: number;
  /** The last day (exclusive) of this inspector's patrols. */
  until?: string;
}

const BEATS: readonly Beat[] = [
  { inspector: '周建国', roads: ['S225', 'S307'], perWeek: 3 },
  { inspector: '李秀英', roads: ['Y001', 'Y002', 'C001', 'C002', 'C003', 'C004', 'C005'], perWeek: 3 },
  { inspector: '王志强', roads: ['G206', 'X043', 'Y003'], perWeek: 2, until: '2026-11-01' },
  { inspector: '陈红梅', roads: ['Y004', 'C006', 'C007', 'C008', 'C009', 'C010'], perWeek: 2 },
];

/** The patrols from this day (inclusive) to DEMO_AS_OF (exclusive): September to November. */
export const PATROLS_FROM = '2026-09-01';

const dayMs = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

export function makePatrols(rng: Random, roads: Road[]): Patrol[] {
  const byCode = new Map(roads.map((r) => [r.code, r]));
  const out: Patrol[] = [];
  const end = dayMs(DEMO_AS_OF);
  for (const beat of BEATS) {
    const r = rng.fork(beat.inspector);
    const until = Math.min(end, beat.until ? dayMs(beat.until) : end);
    // Round-robin over the beat's roads so every road of it is driven every few weeks.
    let next = r.int(0, beat.roads.length - 1);
    for (let week = dayMs(PATROLS_FROM); week < until; week += 7 * DAY) {
      for (let n = 0; n < beat.perWeek; n++) {
        const day = week + r.int(0, 6) * DAY;
        if (day >= until) continue;
        const road = byCode.get(beat.roads[next % beat.roads.length]);
        next++;
        if (!road) continue;
        const line = mainLine(road);
        // Long roads are driven a stretch of 3–7 km at a time, short ones whole.
        const stretch = Math.min(line.length, r.uniform(3000, 7000));
        const s0 = r.uniform(0, line.length - stretch);
        const forward = r.chance(0.5);
        const side = forward ? -1 : 1; // drive on the right
        const points: XY[] = [];
        let drift = 0;
        for (let s = 0; s <= stretch; s += r.uniform(24, 36)) {
          drift = 0.7 * drift + r.normal() * 1.5; // GPS error wanders, it does not jump
          const at = forward ? s0 + s : s0 + stretch - s;
          points.push(line.offset(at, side * 3 + drift, 15));
        }
        const start = day + 8 * HOUR + r.int(0, 120) * 60_000;
        const minutes = Math.round(stretch / 1000 / r.uniform(15, 25) * 60); // 15–25 km/h
        out.push({
          inspector: beat.inspector,
          patrolledOn: new Date(day + 8 * HOUR).toISOString().slice(0, 10),
          startedAt: shanghaiDateTime(start),
          endedAt: shanghaiDateTime(start + Math.max(1, minutes) * 60_000),
          road: road.code,
          points,
        });
      }
    }
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.inspector.localeCompare(b.inspector));
}
