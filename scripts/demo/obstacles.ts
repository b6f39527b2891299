/**
 * What a new feature must keep clear of (road carriageways, water, ponds, other plots, the
 * township boundary), in a grid index so that thousands of placement attempts stay fast.
 */
import { type XY, type BBox, bboxOf, pointInRing, pointSegmentDistance, segmentDistance } from './plane.js';

export type ObstacleKind = 'road' | 'canal' | 'river' | 'pond' | 'plot' | 'boundary' | 'building';

interface Segment {
  a: XY;
  b: XY;
  kind: ObstacleKind;
  id: string;
  /** Half the obstacle's width (a road's carriageway); distances are measured from its edge. */
  half: number;
}

/**
 * How far beyond an obstacle's edge a new feature must stay, per kind of obstacle (or per id,
 * which wins). Kinds left out are ignored.
 */
export type Clearance = Partial<Record<ObstacleKind, number>> & { byId?: Record<string, number> };

const CELL = 250;

export class Obstacles {
  private readonly cells = new Map<string, Segment[]>();
  private readonly polygons: { ring: XY[]; kind: ObstacleKind }[] = [];
  private maxHalf = 0;

  addLine(points: readonly XY[], kind: ObstacleKind, id: string, half = 0): void {
    this.maxHalf = Math.max(this.maxHalf, half);
    for (let i = 0; i < points.length - 1; i++) {
      const seg: Segment = { a: points[i], b: points[i + 1], kind, id, half };
      for (const key of this.keys(bboxOf([seg.a, seg.b]))) {
        const list = this.cells.get(key);
        if (list) list.push(seg);
        else this.cells.set(key, [seg]);
      }
    }
  }

  /** A closed ring: its edges, and its inside (so that nothing is placed wholly within it). */
  addPolygon(ring: readonly XY[], kind: ObstacleKind, id: string): void {
    this.addLine(ring, kind, id);
    this.polygons.push({ ring: ring.slice(), kind });
  }

  private *keys(b: BBox): Generator<string> {
    for (let i = Math.floor(b.minX / CELL); i <= Math.floor(b.maxX / CELL); i++) {
      for (let j = Math.floor(b.minY / CELL); j <= Math.floor(b.maxY / CELL); j++) yield `${i},${j}`;
    }
  }

  private nearby(b: BBox): Segment[] {
    const seen = new Set<Segment>();
    for (const key of this.keys(b)) for (const s of this.cells.get(key) ?? []) seen.add(s);
    return [...seen];
  }

  private required(seg: Segment, c: Clearance): number | undefined {
    const extra = c.byId?.[seg.id] ?? c[seg.kind];
    return extra === undefined ? undefined : seg.half + extra;
  }

  private reach(c: Clearance): number {
    const values = [...Object.values(c.byId ?? {}), ...Object.entries(c).filter(([k]) => k !== 'byId').map(([, v]) => v as number)];
    return Math.max(0, ...values) + this.maxHalf;
  }

  /** True when every segment of the path keeps its distance from every obstacle. */
  pathIsClear(path: readonly XY[], c: Clearance): boolean {
    const reach = this.reach(c);
    for (let i = 0; i < path.length - 1; i++) {
      const a = path[i], b = path[i + 1];
      for (const seg of this.nearby(bboxOf([a, b], reach))) {
        const need = this.required(seg, c);
        if (need !== undefined && segmentDistance(a, b, seg.a, seg.b) < need) return false;
      }
    }
    return true;
  }

  pointIsClear(p: XY, c: Clearance): boolean {
    for (const seg of this.nearby(bboxOf([p], this.reach(c)))) {
      const need = this.required(seg, c);
      if (need !== undefined && pointSegmentDistance(p, seg.a, seg.b) < need) return false;
    }
    return !this.polygons.some((pg) => c[pg.kind] !== undefined && pointInRing(p, pg.ring));
  }

  /** A closed ring keeps its distance and neither holds nor sits inside an obstacle polygon. */
  polygonIsClear(ring: readonly XY[], c: Clearance): boolean {
    if (!this.pathIsClear(ring, c)) return false;
    return !this.polygons.some((pg) => c[pg.kind] !== undefined && (pointInRing(ring[0], pg.ring) || pointInRing(pg.ring[0], ring)));
  }

  /** Distance from p to the nearest obstacle of the given kinds (edge of a road, not its centre). */
  distanceTo(p: XY, kinds: readonly ObstacleKind[], within = 500, excludeId?: string): number {
    let best = Infinity;
    for (const seg of this.nearby(bboxOf([p], within))) {
      if (kinds.includes(seg.kind) && seg.id !== excludeId) best = Math.min(best, pointSegmentDistance(p, seg.a, seg.b) - seg.half);
    }
    return best;
  }
}
