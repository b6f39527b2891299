/**
 * Geometry in a local metric plane (x east, y north, metres from the township centre).
 * Placing things "8 m from the centre line" or "a 90 m × 120 m plot" is plain arithmetic here;
 * lon/lat is only produced at the end (toLonLat), and every figure that the data promises
 * (areas, setback distances) is measured again on lon/lat with turf.
 *
 * The projection is equirectangular about the township centre with turf's earth radius; over
 * ±9 km its scale error is below 0.1 %, far less than any margin used here.
 */

export type XY = [number, number];

export const ORIGIN = { lon: 117.2, lat: 32.95 } as const;
const EARTH_RADIUS = 6371008.8; // the radius turf measures with
const RAD = Math.PI / 180;
const M_PER_DEG_LAT = EARTH_RADIUS * RAD;
const M_PER_DEG_LON = EARTH_RADIUS * Math.cos(ORIGIN.lat * RAD) * RAD;

export function toLonLat([x, y]: XY): XY {
  return [ORIGIN.lon + x / M_PER_DEG_LON, ORIGIN.lat + y / M_PER_DEG_LAT];
}

export function toXY([lon, lat]: readonly number[]): XY {
  return [(lon - ORIGIN.lon) * M_PER_DEG_LON, (lat - ORIGIN.lat) * M_PER_DEG_LAT];
}

export const add = (a: XY, b: XY): XY => [a[0] + b[0], a[1] + b[1]];
export const sub = (a: XY, b: XY): XY => [a[0] - b[0], a[1] - b[1]];
export const scale = (a: XY, k: number): XY => [a[0] * k, a[1] * k];
export const dot = (a: XY, b: XY): number => a[0] * b[0] + a[1] * b[1];
export const cross = (a: XY, b: XY): number => a[0] * b[1] - a[1] * b[0];
export const norm = (a: XY): number => Math.hypot(a[0], a[1]);
export const dist = (a: XY, b: XY): number => Math.hypot(a[0] - b[0], a[1] - b[1]);
export const unit = (a: XY): XY => scale(a, 1 / (norm(a) || 1));
/** The left-hand normal of a direction (90° counter-clockwise). */
export const leftOf = (d: XY): XY => [-d[1], d[0]];
export const rotate = (a: XY, angle: number): XY => [a[0] * Math.cos(angle) - a[1] * Math.sin(angle), a[0] * Math.sin(angle) + a[1] * Math.cos(angle)];
export const lerp = (a: XY, b: XY, t: number): XY => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

export function pointSegmentDistance(p: XY, a: XY, b: XY): number {
  const ab = sub(b, a);
  const len2 = dot(ab, ab);
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, dot(sub(p, a), ab) / len2));
  return dist(p, add(a, scale(ab, t)));
}

function orientation(a: XY, b: XY, c: XY): number {
  return Math.sign(cross(sub(b, a), sub(c, a)));
}

function onSegment(a: XY, b: XY, p: XY): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

export function segmentsIntersect(a: XY, b: XY, c: XY, d: XY): boolean {
  const o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

export function segmentDistance(a: XY, b: XY, c: XY, d: XY): number {
  if (segmentsIntersect(a, b, c, d)) return 0;
  return Math.min(pointSegmentDistance(a, c, d), pointSegmentDistance(b, c, d), pointSegmentDistance(c, a, b), pointSegmentDistance(d, a, b));
}

/** Where two segments cross, if they do (proper crossings only). */
export function segmentIntersection(a: XY, b: XY, c: XY, d: XY): XY | undefined {
  const r = sub(b, a), s = sub(d, c);
  const den = cross(r, s);
  if (den === 0) return undefined;
  const t = cross(sub(c, a), s) / den;
  const u = cross(sub(c, a), r) / den;
  return t >= 0 && t <= 1 && u >= 0 && u <= 1 ? add(a, scale(r, t)) : undefined;
}

/** Ray casting; ring may or may not repeat its first point. */
export function pointInRing(p: XY, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Shoelace area, positive when counter-clockwise. */
export function signedArea(ring: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i], b = ring[(i + 1) % ring.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/** A closed ring (first point repeated), counter-clockwise as RFC 7946 recommends for outer rings. */
export function closeRing(points: readonly XY[]): XY[] {
  const open = points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1] ? points.slice(0, -1) : points.slice();
  const ccw = signedArea(open) >= 0 ? open : open.reverse();
  return [...ccw, ccw[0]];
}

/** True when no two non-adjacent edges of a closed ring touch: what GEOS needs of a ring. */
export function isSimpleRing(ring: readonly XY[]): boolean {
  const n = ring.length - 1; // closed ring
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) return false;
    }
  }
  return true;
}

/** A polyline with arc-length parametrisation: point, direction and offset at distance s along it. */
export class Polyline {
  readonly cum: number[];
  readonly length: number;

  constructor(readonly points: XY[]) {
    this.cum = [0];
    for (let i = 1; i < points.length; i++) this.cum.push(this.cum[i - 1] + dist(points[i - 1], points[i]));
    this.length = this.cum[this.cum.length - 1];
  }

  /** Index i of the segment [i, i+1] holding distance s. */
  segmentAt(s: number): number {
    let lo = 0, hi = this.points.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cum[mid] <= s) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(s: number): XY {
    const c = Math.max(0, Math.min(this.length, s));
    const i = this.segmentAt(c);
    const segLen = this.cum[i + 1] - this.cum[i];
    return lerp(this.points[i], this.points[i + 1], segLen === 0 ? 0 : (c - this.cum[i]) / segLen);
  }

  /** Unit direction, smoothed over ±window metres so that offsets of a sampled curve stay smooth. */
  direction(s: number, window = 10): XY {
    return unit(sub(this.at(s + window), this.at(s - window)));
  }

  /** The point `d` metres to the left (d > 0) or right (d < 0) of the line at s. */
  offset(s: number, d: number, window = 10): XY {
    return add(this.at(s), scale(leftOf(this.direction(s, window)), d));
  }

  /** Distance along the line of the point nearest to p, and how far p is from it. */
  project(p: XY): { s: number; distance: number } {
    let best = { s: 0, distance: Infinity };
    for (let i = 0; i < this.points.length - 1; i++) {
      const a = this.points[i], ab = sub(this.points[i + 1], a);
      const len2 = dot(ab, ab);
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, dot(sub(p, a), ab) / len2));
      const d = dist(p, add(a, scale(ab, t)));
      if (d < best.distance) best = { s: this.cum[i] + t * Math.sqrt(len2), distance: d };
    }
    return best;
  }

  distanceTo(p: XY): number {
    return this.project(p).distance;
  }

  /** Distances along the line where it crosses another polyline. */
  crossings(other: readonly XY[]): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.points.length - 1; i++) {
      for (let j = 0; j < other.length - 1; j++) {
        const x = segmentIntersection(this.points[i], this.points[i + 1], other[j], other[j + 1]);
        if (x) out.push(this.cum[i] + dist(this.points[i], x));
      }
    }
    return out;
  }
}

/**
 * A centripetal Catmull–Rom spline through the waypoints, sampled about every `step` metres.
 * It passes through every waypoint exactly (so two roads can share a junction vertex) and,
 * being centripetal, never loops or cusps between waypoints.
 */
export function spline(waypoints: readonly XY[], step: number): XY[] {
  if (waypoints.length < 3) {
    const [a, b] = waypoints;
    const n = Math.max(1, Math.ceil(dist(a, b) / step));
    return Array.from({ length: n + 1 }, (_, i) => (i === n ? b : lerp(a, b, i / n)));
  }
  const pts = [add(waypoints[0], sub(waypoints[0], waypoints[1])), ...waypoints, add(waypoints[waypoints.length - 1], sub(waypoints[waypoints.length - 1], waypoints[waypoints.length - 2]))];
  const out: XY[] = [];
  for (let i = 1; i < pts.length - 2; i++) {
    const [p0, p1, p2, p3] = [pts[i - 1], pts[i], pts[i + 1], pts[i + 2]];
    const t0 = 0;
    const t1 = t0 + Math.sqrt(dist(p0, p1));
    const t2 = t1 + Math.sqrt(dist(p1, p2));
    const t3 = t2 + Math.sqrt(dist(p2, p3));
    const n = Math.max(1, Math.ceil(dist(p1, p2) / step));
    out.push(p1);
    for (let k = 1; k < n; k++) {
      const t = t1 + ((t2 - t1) * k) / n;
      const a1 = add(scale(p0, (t1 - t) / (t1 - t0)), scale(p1, (t - t0) / (t1 - t0)));
      const a2 = add(scale(p1, (t2 - t) / (t2 - t1)), scale(p2, (t - t1) / (t2 - t1)));
      const a3 = add(scale(p2, (t3 - t) / (t3 - t2)), scale(p3, (t - t2) / (t3 - t2)));
      const b1 = add(scale(a1, (t2 - t) / (t2 - t0)), scale(a2, (t - t0) / (t2 - t0)));
      const b2 = add(scale(a2, (t3 - t) / (t3 - t1)), scale(a3, (t - t1) / (t3 - t1)));
      out.push(add(scale(b1, (t2 - t) / (t2 - t1)), scale(b2, (t - t1) / (t2 - t1))));
    }
  }
  out.push(waypoints[waypoints.length - 1]);
  return out;
}

/**
 * Waypoints from `from` to `to` every ~`spacing` metres, each pushed sideways by up to
 * `amplitude` metres: the bends of a road or a canal. The ends stay where they are.
 */
export function meander(from: XY, to: XY, spacing: number, amplitude: number, rand: () => number): XY[] {
  const n = Math.max(1, Math.round(dist(from, to) / spacing));
  const side = leftOf(unit(sub(to, from)));
  const out: XY[] = [from];
  for (let i = 1; i < n; i++) out.push(add(lerp(from, to, i / n), scale(side, (rand() * 2 - 1) * amplitude)));
  out.push(to);
  return out;
}

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function bboxOf(points: readonly XY[], pad = 0): BBox {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX: minX - pad, minY: minY - pad, maxX: maxX + pad, maxY: maxY + pad };
}
