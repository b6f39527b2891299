/**
 * The road network: S225 (N–S) and S307 (W–E) crossing at the township seat 《seed, 第二篇:
 * 307、225两条省道在境内交汇》, G206 across the north-west corner, county road X043, the four trunk
 * roads 包王路, 包高路, 包火路, 君高路 《seed, 第三篇》 and village roads.
 * Every road is a spline through jittered waypoints, so it bends gently like a real one; a road
 * that joins another starts on one of that road's vertices, so the network is connected.
 */
import type { Random } from './random.js';
import { type XY, Polyline, spline, meander, dist, sub, unit, add, scale, leftOf, rotate, dot, pointInRing } from './plane.js';
import type { Obstacles } from './obstacles.js';
import { type Village, villageAt } from './township.js';

export type RoadClass = 'national' | 'provincial' | 'county' | 'township' | 'village';

export interface Road {
  code: string;
  name: string;
  class: RoadClass;
  /** Carriageway width; null where the ledger does not give it. */
  width: number | null;
  /** One part for a LineString, more for a MultiLineString (a village road with a spur). */
  parts: Polyline[];
}

/** Widths assumed when a road has none, for keeping plots and facilities off the carriageway. */
const TYPICAL_WIDTH: Record<RoadClass, number> = { national: 14, provincial: 11, county: 7.5, township: 6, village: 4 };

export function halfWidth(road: Road): number {
  return (road.width ?? TYPICAL_WIDTH[road.class]) / 2;
}

export function mainLine(road: Road): Polyline {
  return road.parts[0];
}

/** A road bending gently through the given anchors (it passes each of them exactly). */
function curved(rng: Random, anchors: readonly XY[], spacing: number, amplitude: number, step = 25): Polyline {
  const waypoints: XY[] = [];
  for (let i = 0; i < anchors.length - 1; i++) {
    const leg = meander(anchors[i], anchors[i + 1], spacing, amplitude, () => rng.float());
    waypoints.push(...(i === 0 ? leg : leg.slice(1)));
  }
  return new Polyline(spline(waypoints, step));
}

/** The vertex of a line nearest to p: where a joining road starts, so both share it exactly. */
function vertexNear(line: Polyline, p: XY): XY {
  let best = line.points[0];
  for (const v of line.points) if (dist(v, p) < dist(best, p)) best = v;
  return best;
}

/** National, provincial, county and township trunk roads. */
export function makeMainRoads(rng: Random): Road[] {
  // The two provincial roads share their crossing (0, 0), the township seat.
  const s225 = curved(rng, [[-350, -6700], [0, 0], [300, 6700]], 1100, 45);
  const s307 = curved(rng, [[-7600, 250], [0, 0], [6800, -300]], 1200, 55);
  // G206 cuts the north-west corner about 4.3 km from the centre.
  const g206 = curved(rng, [[-7800, -1720], [200, 6280]], 1300, 60);
  const x043 = curved(rng, [vertexNear(s307, [4200, -150]), [4600, -2400], [5200, -6600]], 900, 45);
  const baoWang = curved(rng, [vertexNear(s307, [-700, 0]), [-2100, -1300], [-3400, -2400], [-3750, -2650]], 800, 35);
  const baoGao = curved(rng, [vertexNear(s225, [0, 700]), [1500, 1900], [3500, 3400]], 800, 35);
  const baoHuo = curved(rng, [vertexNear(s307, [800, 0]), [2100, -1300], [3500, -2500], [3750, -2800]], 800, 35);
  // 君高路 runs from G206 past 君庄 and 张楼 to 高庙, where it meets 包高路's end.
  const junGao = curved(rng, [vertexNear(g206, [-2000, 4080]), [-900, 4100], [1300, 4150], baoGao.points[baoGao.points.length - 1]], 800, 35);
  const road = (code: string, name: string, cls: RoadClass, width: number | null, line: Polyline): Road => ({ code, name, class: cls, width, parts: [line] });
  return [
    road('G206', '206国道', 'national', 14, g206),
    road('S225', '225省道', 'provincial', 12, s225),
    road('S307', '307省道', 'provincial', 10.5, s307),
    road('X043', 'X043县道', 'county', null, x043), // width missing on purpose: the "roads without width" fallback
    road('Y001', '包王路', 'township', 6, baoWang),
    road('Y002', '包高路', 'township', 6.5, baoGao),
    road('Y003', '包火路', 'township', 5.5, baoHuo),
    road('Y004', '君高路', 'township', 6, junGao),
  ];
}

interface Start {
  at: XY;
  along: Polyline;
  s: number;
}

/** Vertices of the given roads where a new road may branch off: not near an end or a junction. */
function branchPoints(roads: readonly Road[], obstacles: Obstacles): Start[] {
  const out: Start[] = [];
  for (const r of roads) {
    for (const line of r.parts) {
      for (let i = 0; i < line.points.length; i += 2) {
        const s = line.cum[i];
        if (s < 120 || s > line.length - 120) continue;
        if (obstacles.distanceTo(line.points[i], ['road'], 200, r.code) < 150) continue;
        out.push({ at: line.points[i], along: line, s });
      }
    }
  }
  return out;
}

/** The tail of a path (from `skip` metres on) must keep clear of roads, water and the border. */
function tailIsClear(line: Polyline, obstacles: Obstacles, skip = 100): boolean {
  const from = line.segmentAt(skip) + 1;
  const tail = line.points.slice(from);
  if (tail.length < 2) return true;
  return obstacles.pathIsClear(tail, { road: 45, canal: 70, river: 45, pond: 15, boundary: 120 });
}

/** A village road from a start on an existing road, heading for `aim`, about `length` metres long. */
function villageRoadLine(rng: Random, start: Start, aim: XY | undefined, heading: XY, length: number): Polyline {
  const anchors: XY[] = [start.at];
  if (aim && dist(aim, start.at) > 350 && dist(aim, start.at) < length - 250) {
    anchors.push(aim);
    const rest = length - dist(aim, start.at);
    anchors.push(add(aim, scale(rotate(heading, rng.uniform(-0.4, 0.4)), rest)));
  } else {
    anchors.push(add(start.at, scale(heading, length)));
  }
  return curved(rng, anchors, 350, 30, 20);
}

function acceptable(line: Polyline, outline: XY[], obstacles: Obstacles): boolean {
  if (line.length < 500 || line.length > 3000) return false;
  if (!line.points.every((p) => pointInRing(p, outline))) return false;
  return tailIsClear(line, obstacles);
}

/**
 * A road from the nearest main road into a village: it heads for the houses, or, when the houses
 * are on the main road already, leaves it sideways into the village.
 */
function roadIntoVillage(rng: Random, v: Village, mainStarts: readonly Start[], outline: XY[], obstacles: Obstacles): Polyline | undefined {
  const aim = add(v.site, [rng.uniform(-120, 120), rng.uniform(-120, 120)]);
  const nearest = mainStarts.slice().sort((a, b) => dist(a.at, aim) - dist(b.at, aim)).slice(0, 12);
  for (let attempt = 0; attempt < 40; attempt++) {
    const start = nearest[attempt % nearest.length];
    let heading: XY;
    if (dist(aim, start.at) > 350) heading = unit(sub(aim, start.at));
    else {
      const normal = leftOf(start.along.direction(start.s));
      const centre = v.ring.reduce<XY>((acc, p) => add(acc, scale(p, 1 / v.ring.length)), [0, 0]);
      heading = dot(normal, sub(centre, start.at)) >= 0 ? normal : scale(normal, -1);
    }
    heading = rotate(heading, attempt === 0 ? 0 : rng.uniform(-0.6, 0.6));
    const line = villageRoadLine(rng, start, aim, heading, rng.uniform(900, 2400));
    if (acceptable(line, outline, obstacles)) return line;
  }
  return undefined;
}

/** Another road in a village, leaving any road inside it at a right angle (give or take). */
function roadWithinVillage(rng: Random, starts: readonly Start[], outline: XY[], obstacles: Obstacles): Polyline | undefined {
  const start = rng.pick(starts);
  const normal = leftOf(start.along.direction(start.s));
  const heading = rotate(scale(normal, rng.sign()), rng.uniform(-0.5, 0.5));
  const line = villageRoadLine(rng, start, undefined, heading, rng.uniform(800, 1800));
  return acceptable(line, outline, obstacles) ? line : undefined;
}

/** A spur leaving `line` about halfway along, on either side, and keeping away from it. */
function spurOf(rng: Random, line: Polyline, outline: XY[], obstacles: Obstacles): Polyline | undefined {
  for (let t = 0; t < 20; t++) {
    const s = line.cum[line.segmentAt(line.length * rng.uniform(0.35, 0.65))]; // a vertex of line
    const start: Start = { at: line.at(s), along: line, s };
    const heading = rotate(scale(leftOf(line.direction(s)), rng.sign()), rng.uniform(-0.3, 0.3));
    const spur = villageRoadLine(rng, start, undefined, heading, rng.uniform(450, 800));
    const tail = spur.points.slice(spur.segmentAt(100) + 1);
    if (spur.length >= 400 && spur.points.every((p) => pointInRing(p, outline)) && tailIsClear(spur, obstacles) && tail.every((p) => line.distanceTo(p) > 45)) return spur;
  }
  return undefined;
}

/**
 * Village roads: one from each village's houses to the nearest main road, plus three more in the
 * largest villages, the last with a spur (a MultiLineString). They leave existing roads at their
 * vertices and keep 45 m from every other road, so they never cross one.
 */
export function makeVillageRoads(rng: Random, main: readonly Road[], villages: readonly Village[], outline: XY[], obstacles: Obstacles): Road[] {
  const made: Road[] = [];
  const addRoad = (parts: Polyline[], width: number | null) => {
    // Named after the village it serves (where its middle is): 杨圩村道, then 杨圩村道二.
    const v = villageAt(villages, parts[0].at(parts[0].length / 2));
    const same = made.filter((r) => r.name.startsWith(`${v.short}村道`)).length;
    const road: Road = { code: `C${String(made.length + 1).padStart(3, '0')}`, name: `${v.short}村道${['', '二', '三', '四'][same]}`, class: 'village', width, parts };
    made.push(road);
    for (const p of parts) obstacles.addLine(p.points, 'road', road.code, halfWidth(road));
  };
  // A few village roads have no recorded width.
  const width = () => (made.length % 9 === 6 ? null : rng.pick([3.5, 4, 4, 4.5]));

  const mainStarts = branchPoints(main, obstacles);
  for (const v of villages) {
    const line = roadIntoVillage(rng, v, mainStarts, outline, obstacles);
    if (line) addRoad([line], width());
  }

  const largest = villages.slice().sort((a, b) => b.area - a.area).slice(0, 3);
  largest.forEach((v, k) => {
    const starts = branchPoints([...main, ...made], obstacles).filter((st) => pointInRing(st.at, v.ring));
    for (let attempt = 0; attempt < 80 && starts.length; attempt++) {
      const line = roadWithinVillage(rng, starts, outline, obstacles);
      if (!line) continue;
      if (k < 2) {
        addRoad([line], width());
        break;
      }
      const spur = spurOf(rng, line, outline, obstacles);
      if (!spur) continue;
      addRoad([line, spur], width());
      break;
    }
  });
  return made;
}
