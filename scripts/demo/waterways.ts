/**
 * Water: 茨淮新河 (a large canal crossing the north of the township west–east, bridged by S225),
 * 芡河 (a river crossing the south) 《seed, 第二篇: 茨淮新河225省道公路桥、芡河公路桥》, and village ponds.
 */
import type { Random } from './random.js';
import { type XY, Polyline, spline, meander, closeRing, add, scale, sub, isSimpleRing, pointInRing } from './plane.js';
import type { Obstacles } from './obstacles.js';
import type { Village } from './township.js';

export interface Waterway {
  name: string;
  kind: 'canal' | 'river' | 'pond';
  line?: Polyline;
  ring?: XY[];
}

/** 茨淮新河 runs wide and straight (it was dug in the 1970s); its bends are long and gentle. */
export function makeCanal(rng: Random): Waterway {
  const waypoints = meander([-7000, 2750], [7000, 2450], 1500, 150, () => rng.float());
  return { name: '茨淮新河', kind: 'canal', line: new Polyline(spline(waypoints, 40)) };
}

/** 芡河 is a natural river: more bends than the canal, flowing east-south-east toward 芡河湖. */
export function makeRiver(rng: Random): Waterway {
  const waypoints = meander([-7000, -3100], [7000, -4300], 1200, 200, () => rng.float());
  return { name: '芡河', kind: 'river', line: new Polyline(spline(waypoints, 40)) };
}

/** An irregular blob: an ellipse of the given area whose radius wobbles a little. */
function pondRing(rng: Random, centre: XY, area: number): XY[] {
  const aspect = rng.uniform(1, 1.8);
  const a = Math.sqrt((area * aspect) / Math.PI), b = area / (Math.PI * a);
  const turn = rng.uniform(0, Math.PI);
  const [p1, p2] = [rng.uniform(0, 2 * Math.PI), rng.uniform(0, 2 * Math.PI)];
  const ring: XY[] = [];
  for (let i = 0; i < 20; i++) {
    const t = (2 * Math.PI * i) / 20;
    const k = 1 + 0.07 * Math.sin(2 * t + p1) + 0.05 * Math.sin(3 * t + p2);
    const x = a * k * Math.cos(t), y = b * k * Math.sin(t);
    ring.push(add(centre, [x * Math.cos(turn) - y * Math.sin(turn), x * Math.sin(turn) + y * Math.cos(turn)]));
  }
  return closeRing(ring);
}

/** Named after where it lies from the village's houses, as villagers name them. */
function pondName(village: Village, centre: XY): string {
  const [dx, dy] = sub(centre, village.site);
  const side = Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? '东' : '西') : dy > 0 ? '后' : '前';
  return `${village.short}${side}塘`;
}

/**
 * One pond (0.3–1.8 ha) beside most villages' houses, clear of roads and the big waters. Ponds
 * are what 沟塘整治 and floating-debris findings are about 《seed, 第一篇、第三篇》.
 */
export function makePonds(rng: Random, villages: readonly Village[], obstacles: Obstacles, count: number): Waterway[] {
  const ponds: Waterway[] = [];
  for (const village of rng.shuffle(villages).slice(0, count)) {
    for (let attempt = 0; attempt < 60; attempt++) {
      const angle = rng.uniform(0, 2 * Math.PI);
      const centre = add(village.site, scale([Math.cos(angle), Math.sin(angle)], rng.uniform(150, 550)));
      if (!pointInRing(centre, village.ring)) continue; // the pond belongs to the village it is named after
      const ring = pondRing(rng, centre, rng.uniform(3000, 18000));
      if (!isSimpleRing(ring)) continue;
      if (!obstacles.polygonIsClear(ring, { road: 15, canal: 100, river: 60, pond: 30, boundary: 60 })) continue;
      obstacles.addPolygon(ring, 'pond', `pond-${ponds.length}`);
      ponds.push({ name: pondName(village, centre), kind: 'pond', ring });
      break;
    }
  }
  return ponds;
}
