/**
 * Demolition sites: pig pens, dry toilets, sheds and illegal buildings, mostly along the trunk
 * and provincial roads 《seed, 第四篇: 确保镇内主干线10米以内无猪圈、无简易旱厕、无杂乱圈棚》.
 *
 * A set of test sites sits at exact distances from the trunk roads' centre lines, just inside or
 * just outside the 10 m setback, beside straight stretches away from ends and junctions, so that
 * the app's setback rule has known answers. Those distances are measured on the published
 * lon/lat (turf.pointToLineDistance) and recorded in `source`.
 */
import * as turf from '@turf/turf';
import type { Random } from './random.js';
import { type XY, Polyline, add, rotate, closeRing, toXY } from './plane.js';
import { type Road, halfWidth } from './roads.js';
import type { Obstacles } from './obstacles.js';
import { lineCoords, round7, type Position } from './geojson.js';
import { DEMO_AS_OF } from './config.js';
import { DAYS_IN_YEAR, addDays } from './dates.js';

export type DemolitionKind = 'pig_pen' | 'dry_toilet' | 'shed' | 'illegal_building' | 'other';
export type DemolitionStatus = 'identified' | 'marked' | 'notice_issued' | 'demolished' | 'exempt';

export interface DemolitionSite {
  point?: Position; // exact published position (the setback test sites)
  at?: XY;
  ring?: XY[];
  kind: DemolitionKind;
  status: DemolitionStatus;
  identifiedOn: string;
  deadline?: string;
  demolishedOn?: string;
  description?: string;
  source?: Record<string, unknown>;
}

const KIND_ZH: Record<DemolitionKind, string> = { pig_pen: '猪圈', dry_toilet: '旱厕', shed: '柴棚', illegal_building: '违建', other: '构筑物' };

const DESCRIPTIONS: Record<DemolitionKind, string[]> = {
  pig_pen: ['路边猪圈', '废弃猪圈', '简易猪圈'],
  dry_toilet: ['路边简易旱厕', '露天旱厕', '简易旱厕'],
  shed: ['柴棚', '圈棚', '杂物棚', '简易彩钢棚'],
  illegal_building: ['违章搭建门面房', '私搭乱建彩钢房', '未批先建附属房'],
  other: ['废弃广告牌基座', '路边堆放建材', '废弃砖窑'],
};

/** Inside and just outside the 10 m setback (metres from the centre line). */
export const INSIDE_OFFSETS = [4, 5, 6, 7, 8.5, 9.5];
export const OUTSIDE_OFFSETS = [10.5, 11, 12, 13, 15];

/** identified in the last 12 months; a deadline for marked/notified ones; demolished after identified. */
function dates(rng: Random, status: DemolitionStatus): Pick<DemolitionSite, 'identifiedOn' | 'deadline' | 'demolishedOn'> {
  // Demolished sites tend to be the older ones.
  const day = status === 'demolished' ? Math.floor((DAYS_IN_YEAR - 1) * rng.float() ** 1.5) : rng.int(0, DAYS_IN_YEAR - 1);
  const identifiedOn = addDays(DEMO_AS_OF, day - DAYS_IN_YEAR);
  if (status === 'marked' || status === 'notice_issued') return { identifiedOn, deadline: addDays(identifiedOn, rng.int(15, 60)) };
  if (status === 'demolished') {
    const d = addDays(identifiedOn, rng.int(3, 45));
    return { identifiedOn, demolishedOn: d > DEMO_AS_OF ? DEMO_AS_OF : d };
  }
  return { identifiedOn };
}

function distanceToRoad(p: Position, road: Road, coords: Map<Road, Position[][]>): number {
  return Math.min(...coords.get(road)!.map((c) => turf.pointToLineDistance(turf.point(p), turf.lineString(c), { units: 'meters' })));
}

/**
 * Sites at exact distances from a trunk road: beside the middle of a published segment, along
 * the perpendicular, so the nearest point of the road is the foot of that perpendicular.
 */
function setbackSites(rng: Random, roads: readonly Road[], obstacles: Obstacles, coords: Map<Road, Position[][]>): DemolitionSite[] {
  const out: DemolitionSite[] = [];
  const trunk = roads.filter((r) => r.class === 'township');
  for (const road of trunk) {
    const c = coords.get(road)![0];
    const line = new Polyline(c.map((p) => toXY(p)));
    const offsets = [...INSIDE_OFFSETS, ...INSIDE_OFFSETS, ...OUTSIDE_OFFSETS, ...OUTSIDE_OFFSETS, ...OUTSIDE_OFFSETS.slice(0, 2)]; // 12 inside, 12 outside per road
    const n = offsets.length;
    rng.shuffle(offsets).forEach((offset, j) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        // Spread along the road; on failure look a little further along, either way.
        const s = ((j + 0.5) * line.length) / n + (attempt % 2 ? 1 : -1) * Math.ceil(attempt / 2) * 11;
        if (s < 40 || s > line.length - 40) continue;
        const i = line.segmentAt(s);
        const [a, b] = [c[i], c[i + 1]];
        const foot = turf.midpoint(a, b);
        const side = rng.sign();
        const dest = turf.destination(foot, offset, turf.bearing(a, b) + side * 90, { units: 'meters' }).geometry.coordinates;
        const p: Position = [round7(dest[0]), round7(dest[1])];
        const xy = toXY(p);
        // Clear of other roads by 30 m (foot and site), of water, plots and other structures.
        const footXY = toXY(foot.geometry.coordinates);
        const others = roads.filter((r) => r !== road);
        if (others.some((r) => r.parts.some((l) => l.distanceTo(xy) < 30 + offset || l.distanceTo(footXY) < 30))) continue;
        if (!obstacles.pointIsClear(xy, { plot: 2, pond: 3, canal: 65, river: 35, building: 5 })) continue;
        if (Math.abs(distanceToRoad(p, road, coords) - offset) > 0.02) continue;
        obstacles.addPolygon(closeRing([add(xy, [-1, -1]), add(xy, [1, -1]), add(xy, [1, 1]), add(xy, [-1, 1])]), 'building', `setback-${out.length}`);
        const kind = rng.weighted<DemolitionKind>(['pig_pen', 'dry_toilet', 'shed', 'other'], [0.3, 0.35, 0.3, 0.05]);
        const status = offset < 10
          ? rng.weighted<DemolitionStatus>(['identified', 'marked', 'notice_issued', 'demolished'], [0.15, 0.3, 0.25, 0.3])
          : rng.weighted<DemolitionStatus>(['identified', 'exempt', 'marked'], [0.4, 0.45, 0.15]);
        out.push({
          point: p, kind, status, ...dates(rng, status),
          description: `${KIND_ZH[kind]}距${road.name}中心线约${offset}米`,
          source: { offset_m: offset, road: road.code },
        });
        break;
      }
    });
  }
  return out;
}

/** A building footprint parallel to the road: 3×4 m up to 10×20 m by kind. */
function footprint(rng: Random, kind: DemolitionKind): [number, number] {
  const [w, d] = {
    pig_pen: [rng.uniform(3, 6), rng.uniform(4, 8)],
    dry_toilet: [3, 4],
    shed: [rng.uniform(3, 6), rng.uniform(4, 10)],
    illegal_building: [rng.uniform(6, 10), rng.uniform(8, 20)],
    other: [rng.uniform(3, 8), rng.uniform(4, 10)],
  }[kind];
  return [Math.round(w * 2) / 2, Math.round(d * 2) / 2];
}

/** A structure beside a road, as a point or (for about one in four) a footprint polygon. */
function roadsideSite(rng: Random, road: Road, line: Polyline, polygonShare: number, maxOffset: number, obstacles: Obstacles): DemolitionSite | undefined {
  const kind = rng.weighted<DemolitionKind>(['pig_pen', 'dry_toilet', 'shed', 'illegal_building', 'other'], [0.25, 0.25, 0.25, 0.17, 0.08]);
  const asPolygon = rng.chance(kind === 'illegal_building' ? Math.min(1, polygonShare * 2.5) : polygonShare);
  const s = rng.uniform(30, line.length - 30);
  const side = rng.sign();
  const clearance = { road: 1.5, plot: 2, pond: 3, canal: 65, river: 35, building: 3 };
  let at: XY | undefined, ring: XY[] | undefined;
  if (asPolygon) {
    const [w, d] = footprint(rng, kind);
    const offset = rng.uniform(halfWidth(road) + d / 2 + 1.5, maxOffset);
    const centre = line.offset(s, side * offset, 10);
    const dir = line.direction(s, 10);
    const angle = Math.atan2(dir[1], dir[0]);
    ring = closeRing(([[-w / 2, -d / 2], [w / 2, -d / 2], [w / 2, d / 2], [-w / 2, d / 2]] as XY[]).map((c) => add(centre, rotate(c, angle))));
    if (!obstacles.polygonIsClear(ring, clearance)) return undefined;
    obstacles.addPolygon(ring, 'building', 'site');
  } else {
    at = line.offset(s, side * rng.uniform(halfWidth(road) + 1.5, maxOffset), 10);
    if (!obstacles.pointIsClear(at, clearance)) return undefined;
  }
  const status = rng.weighted<DemolitionStatus>(['identified', 'marked', 'notice_issued', 'demolished', 'exempt'], [0.2, 0.2, 0.2, 0.3, 0.1]);
  return { at, ring, kind, status, ...dates(rng, status), description: rng.chance(0.7) ? rng.pick(DESCRIPTIONS[kind]) : undefined };
}

export function makeDemolitionSites(rng: Random, roads: readonly Road[], obstacles: Obstacles): DemolitionSite[] {
  const coords = new Map(roads.map((r) => [r, r.parts.map((p) => lineCoords(p.points))]));
  const sites = setbackSites(rng.fork('setback'), roads, obstacles, coords);

  // Along trunk and provincial roads (most of the campaign's work), then along village roads.
  const busy = roads.flatMap((r) => (r.class === 'township' || r.class === 'provincial' ? r.parts.map((line) => ({ road: r, line, w: line.length * (r.class === 'township' ? 2 : 1) })) : []));
  const quiet = roads.flatMap((r) => (r.class === 'village' ? r.parts.map((line) => ({ road: r, line, w: line.length })) : []));
  const r = rng.fork('roadside');
  for (const [pool, n, maxOffset] of [[busy, 170, 45], [quiet, 94, 60]] as const) {
    let made = 0;
    while (made < n) {
      const { road, line } = r.weighted(pool, pool.map((p) => p.w));
      const site = roadsideSite(r, road, line, 0.2, maxOffset, obstacles);
      if (site) {
        sites.push(site);
        made++;
      }
    }
  }
  return sites;
}

export function demolitionProperties(d: DemolitionSite): Record<string, unknown> {
  return {
    kind: d.kind,
    status: d.status,
    ...(d.description ? { description: d.description } : {}),
    identified_on: d.identifiedOn,
    ...(d.deadline ? { deadline: d.deadline } : {}),
    ...(d.demolishedOn ? { demolished_on: d.demolishedOn } : {}),
    ...(d.source ? { source: d.source } : {}),
  };
}
