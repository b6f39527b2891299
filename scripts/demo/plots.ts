/**
 * Afforestation plots (造林小班): the S225 green corridor, the 茨淮新河 pomegranate bases and
 * ordinary plots across the villages, 181 in all 《seed, 第二篇、第三篇、第五篇》.
 *
 * Strips are built along a reference line (S225, the canal) between two offsets; they are cut
 * wherever a cross-section would touch a road, water, another plot or the township border, so
 * they stop short of junctions and bridges as real plantings do. Their depth is tuned until the
 * measured (turf) area meets the target from the seeds.
 */
import type { Random } from './random.js';
import { type XY, Polyline, closeRing, isSimpleRing, pointInRing, add, rotate, signedArea } from './plane.js';
import type { Obstacles, Clearance } from './obstacles.js';
import { type Village, villageAt } from './township.js';
import { type Road, mainLine } from './roads.js';
import { areaMu, round1 } from './geojson.js';
import { PLOTS, M2_PER_MU } from './config.js';

export type PlotStatus = 'planned' | 'in_progress' | 'planted' | 'replant_needed';

export interface Plot {
  ring: XY[];
  group: 'corridor' | 'bridge' | 'bank' | 'ordinary';
  plotCode: string;
  village: string;
  year: number;
  species: string;
  project: string;
  /** Area of the published geometry, 亩. */
  surveyMu: number;
  plannedMu: number;
  plantedMu: number;
  status: PlotStatus;
  /** Set on the few plots whose reported area deliberately differs from their geometry. */
  note?: string;
}

/** Plots keep off carriageways (≥ width/2 + 2 m, with a metre to spare), water and each other. */
const PLOT_CLEARANCE: Clearance = { road: 3, canal: 70, river: 45, pond: 8, plot: 4, boundary: 2 };

interface Strip {
  line: Polyline;
  /** +1: left of the line's direction, -1: right. */
  side: 1 | -1;
  near: number;
  far: number;
  from: number;
  to: number;
  clearance: Clearance;
  /** Piece lengths along the line, and the shortest piece worth planting. */
  pieceLength: [number, number];
  minPiece: number;
}

/** Cross-sections are tested every 5 m along the line. */
const STEP = 5;

/** Stretches [from, to] along the line where the whole cross-section near…far is free. */
function clearRuns(strip: Strip, obstacles: Obstacles, outline: XY[]): [number, number][] {
  const runs: [number, number][] = [];
  let runStart: number | undefined;
  for (let s = Math.max(strip.from, 0); s <= Math.min(strip.to, strip.line.length); s += STEP) {
    const a = strip.line.offset(s, strip.side * strip.near, 20);
    const b = strip.line.offset(s, strip.side * strip.far, 20);
    const free = pointInRing(a, outline) && pointInRing(b, outline) && obstacles.pathIsClear([a, b], strip.clearance);
    if (free && runStart === undefined) runStart = s;
    if (!free && runStart !== undefined) {
      runs.push([runStart, s - STEP]);
      runStart = undefined;
    }
  }
  if (runStart !== undefined) runs.push([runStart, Math.min(strip.to, strip.line.length)]);
  return runs;
}

/** The polygon between the two offsets from s = a to s = b, sampled every 20 m. */
function stripRing(strip: Strip, a: number, b: number): XY[] {
  const ss: number[] = [];
  for (let s = a; s < b; s += 20) ss.push(s);
  ss.push(b);
  const inner = ss.map((s) => strip.line.offset(s, strip.side * strip.near, 20));
  const outer = ss.map((s) => strip.line.offset(s, strip.side * strip.far, 20));
  return closeRing([...inner, ...outer.reverse()]);
}

/** Cuts the free runs into pieces a few hundred metres long, with a 4 m path between pieces. */
function stripPieces(rng: Random, strip: Strip, obstacles: Obstacles, outline: XY[]): XY[][] {
  const rings: XY[][] = [];
  for (const [r0, r1] of clearRuns(strip, obstacles, outline)) {
    const [a0, a1] = [r0 + 3, r1 - 3];
    const len = a1 - a0;
    if (len < strip.minPiece) continue;
    const n = Math.max(1, Math.round(len / rng.uniform(strip.pieceLength[0], strip.pieceLength[1])));
    const piece = len / n;
    for (let i = 0; i < n; i++) {
      const a = a0 + i * piece + (i ? 2 : 0);
      const b = a0 + (i + 1) * piece - (i < n - 1 ? 2 : 0);
      const ring = stripRing(strip, a, b);
      if (isSimpleRing(ring) && obstacles.polygonIsClear(ring, strip.clearance)) rings.push(ring);
    }
  }
  return rings;
}

/**
 * Strips whose depth is tuned so that their measured area comes to `targetMu`. Each try starts
 * from the same random stream, so the result depends on the seed only.
 */
function tunedStrips(rng: Random, label: string, strips: (depth: number) => Strip[], depth: number, targetMu: number, obstacles: Obstacles, outline: XY[]): XY[][] {
  let rings: XY[][] = [];
  for (let round = 0; round < 6; round++) {
    const r = rng.fork(label);
    rings = strips(depth).flatMap((strip) => stripPieces(r, strip, obstacles, outline));
    const mu = rings.reduce((sum, ring) => sum + areaMu(ring), 0);
    if (Math.abs(mu - targetMu) / targetMu < 0.002) break;
    depth *= targetMu / mu;
  }
  return rings;
}

/** Rectangles (a little skewed) of the given area, placed in a village, clear of everything. */
function ordinaryRing(rng: Random, village: Village, areaM2: number, roads: readonly Road[], obstacles: Obstacles, outline: XY[]): XY[] | undefined {
  const xs = village.ring.map((p) => p[0]), ys = village.ring.map((p) => p[1]);
  for (let attempt = 0; attempt < 60; attempt++) {
    const centre: XY = [rng.uniform(Math.min(...xs), Math.max(...xs)), rng.uniform(Math.min(...ys), Math.max(...ys))];
    if (!pointInRing(centre, village.ring)) continue;
    // Fields line up with the nearest road more often than not.
    let angle = rng.uniform(0, Math.PI);
    if (rng.chance(0.6)) {
      let best = { d: Infinity, dir: [1, 0] as XY };
      for (const r of roads) {
        const line = mainLine(r);
        const { s, distance } = line.project(centre);
        if (distance < best.d) best = { d: distance, dir: line.direction(s) };
      }
      angle = Math.atan2(best.dir[1], best.dir[0]);
    }
    const aspect = rng.uniform(0.5, 2);
    const w = Math.sqrt(areaM2 * aspect), h = areaM2 / w;
    const corners: XY[] = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]];
    const ring = closeRing(corners.map((c) => add(centre, rotate(add(c, [rng.uniform(-0.04, 0.04) * w, rng.uniform(-0.04, 0.04) * h]), angle))));
    if (!ring.every((p) => pointInRing(p, outline))) continue;
    if (!isSimpleRing(ring) || signedArea(ring) <= 0) continue;
    if (!obstacles.polygonIsClear(ring, { ...PLOT_CLEARANCE, plot: 6 })) continue;
    return ring;
  }
  return undefined;
}

const ORDINARY_SPECIES = ['杨树', '杨树', '杨树', '女贞', '栾树', '香樟', '垂柳', '紫薇', '桂花', '银杏', '石楠'];
const CORRIDOR_SPECIES = ['女贞', '栾树', '香樟', '垂柳'];

function centroid(ring: readonly XY[]): XY {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[i + 1];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

export interface PlotInputs {
  roads: readonly Road[];
  canal: Polyline;
  villages: readonly Village[];
  outline: XY[];
  obstacles: Obstacles;
}

type PlotAttributes = Pick<Plot, 'group' | 'plotCode' | 'year' | 'species' | 'project'>;

/** A plot as surveyed: planned area = the area of its geometry, nothing planted yet. */
function surveyedPlot(ring: XY[], villages: readonly Village[], a: PlotAttributes): Plot {
  const surveyMu = round1(areaMu(ring));
  return { ring, village: villageAt(villages, centroid(ring)).name, surveyMu, plannedMu: surveyMu, plantedMu: 0, status: 'planned', ...a };
}

const code = (prefix: string, i: number) => `${prefix}-${String(i + 1).padStart(3, '0')}`;

/**
 * The S225 green corridor: both sides, from 11 m off the centre line (the 12 m carriageway plus
 * a verge), about 20–40 m deep, stopping short of junctions and the two bridges.
 */
function makeCorridor(rng: Random, { roads, villages, outline, obstacles }: PlotInputs): Plot[] {
  const s225 = mainLine(roads.find((r) => r.code === 'S225')!);
  const rings = tunedStrips(rng, 'corridor', (depth) => ([1, -1] as const).map((side) => ({
    line: s225, side, near: 11, far: 11 + depth, from: 0, to: s225.length,
    clearance: { ...PLOT_CLEARANCE, byId: { S225: 0 } }, pieceLength: [450, 800], minPiece: 120,
  })), 28, PLOTS.corridorMu, obstacles, outline);
  const r = rng.fork('corridor-attributes');
  return rings.map((ring, i) => surveyedPlot(ring, villages, {
    group: 'corridor', plotCode: code('ZL-2025', i), year: 2025, species: r.pick(CORRIDOR_SPECIES), project: 'S225绿色长廊',
  }));
}

/** Where S225 crosses the canal (its bridge), as a distance along the canal. */
function bridgeAlongCanal({ roads, canal }: PlotInputs): number {
  return canal.crossings(mainLine(roads.find((r) => r.code === 'S225')!).points)[0];
}

/**
 * Pomegranates by the S225 bridge over 茨淮新河: four blocks, one in each angle between road and
 * canal, from 80 m off the canal's centre line (past the water and the levee).
 */
function makeBridgeBase(rng: Random, inputs: PlotInputs): Plot[] {
  const { canal, villages, outline, obstacles } = inputs;
  const bridge = bridgeAlongCanal(inputs);
  const rings = tunedStrips(rng, 'bridge', (depth) => ([1, -1] as const).map((side) => ({
    line: canal, side, near: 80, far: 80 + depth, from: bridge - 700, to: bridge + 700,
    clearance: { ...PLOT_CLEARANCE, canal: 0, byId: { S225: 45 } }, pieceLength: [280, 380], minPiece: 150,
  })), 130, PLOTS.bridgePomegranateMu, obstacles, outline);
  return rings.map((ring, i) => surveyedPlot(ring, villages, {
    group: 'bridge', plotCode: code('SL-2025', i), year: 2025, species: '石榴', project: '茨淮新河石榴基地',
  }));
}

/** The 2300 亩 pomegranate base on the canal's south bank (right of its west→east line), beyond the bridge blocks. */
function makeBankBase(rng: Random, inputs: PlotInputs): Plot[] {
  const { canal, villages, outline, obstacles } = inputs;
  const bridge = bridgeAlongCanal(inputs);
  const rings = tunedStrips(rng, 'bank', (depth) => [
    { from: 0, to: bridge - 760 },
    { from: bridge + 760, to: canal.length },
  ].map(({ from, to }) => ({
    line: canal, side: -1 as const, near: 80, far: 80 + depth, from, to,
    clearance: { ...PLOT_CLEARANCE, canal: 0 }, pieceLength: [380, 520], minPiece: 150,
  })), 190, PLOTS.bankPomegranateMu, obstacles, outline);
  return rings.map((ring, i) => surveyedPlot(ring, villages, {
    group: 'bank', plotCode: code('SL-2026', i), year: 2026, species: '石榴', project: '茨淮新河石榴基地',
  }));
}

/**
 * `count` ordinary plots of 6–45 亩 across the villages (larger villages get more), together
 * `totalMu`; plot codes number the plots of a village and year: 2025-杨圩-003.
 */
function makeOrdinaryPlots(rng: Random, { roads, villages, outline, obstacles }: PlotInputs, count: number, totalMu: number): Plot[] {
  const raw = Array.from({ length: count }, () => Math.exp(0.45 * rng.normal()));
  const rawSum = raw.reduce((a, b) => a + b, 0);
  const targets = raw.map((r) => Math.min(45, Math.max(6, (r / rawSum) * totalMu)));
  const fix = totalMu / targets.reduce((a, b) => a + b, 0);
  const rings: XY[][] = [];
  for (const mu of targets) {
    let ring: XY[] | undefined;
    for (let tries = 0; tries < 40 && !ring; tries++) {
      const village = rng.weighted(villages, villages.map((v) => v.area));
      ring = ordinaryRing(rng, village, mu * fix * M2_PER_MU, roads, obstacles, outline);
    }
    if (!ring) throw new Error('could not place an ordinary plot');
    rings.push(ring);
    obstacles.addPolygon(ring, 'plot', `ordinary-${rings.length}`);
  }
  const seq = new Map<string, number>();
  return rings.map((ring) => {
    const year = rng.weighted([2024, 2025, 2026], [0.3, 0.35, 0.35]);
    const village = villageAt(villages, centroid(ring));
    const key = `${year}-${village.short}`;
    seq.set(key, (seq.get(key) ?? 0) + 1);
    const modelVillage = village.short === '杨圩' || village.short === '大观'; // 美好乡村 《seed, 第一篇》
    return surveyedPlot(ring, villages, {
      group: 'ordinary', plotCode: code(key, seq.get(key)! - 1), year,
      species: rng.pick(ORDINARY_SPECIES),
      project: modelVillage && rng.chance(0.6) ? '美好乡村绿化' : rng.weighted(['四旁植树', '农田林网', '村庄绿化'], [0.4, 0.35, 0.25]),
    });
  });
}

export function makePlots(rng: Random, inputs: PlotInputs): Plot[] {
  const plots: Plot[] = [];
  // Each group keeps clear of the ones made before it.
  for (const make of [makeCorridor, makeBridgeBase, makeBankBase]) {
    const group = make(rng, inputs);
    for (const p of group) inputs.obstacles.addPolygon(p.ring, 'plot', p.plotCode);
    plots.push(...group);
  }
  // Ordinary plots make up the count and the planned total.
  const special = plots.reduce((sum, p) => sum + p.surveyMu, 0);
  plots.push(...makeOrdinaryPlots(rng.fork('ordinary'), inputs, PLOTS.count - plots.length, PLOTS.plannedMu - special));
  setProgress(rng.fork('progress'), plots);
  misreport(rng.fork('misreport'), plots);
  return plots;
}

/**
 * Statuses as the seeds tell them: the corridor and the bridge base are planted (a few need gaps
 * replanted), the south-bank base is under way, ordinary plots by their year. Then the part-done
 * plots are filled so that the planted total comes to 2700 亩.
 */
function setProgress(rng: Random, plots: Plot[]): void {
  for (const p of plots) {
    if (p.group === 'corridor' || p.group === 'bridge') p.status = rng.chance(0.12) ? 'replant_needed' : 'planted';
    else if (p.group === 'bank') p.status = rng.weighted<PlotStatus>(['in_progress', 'planned', 'planted'], [0.7, 0.18, 0.12]);
    else if (p.year === 2024) p.status = rng.weighted<PlotStatus>(['planted', 'replant_needed'], [0.7, 0.3]);
    else if (p.year === 2025) p.status = rng.weighted<PlotStatus>(['planted', 'in_progress', 'replant_needed'], [0.55, 0.3, 0.15]);
    else p.status = rng.weighted<PlotStatus>(['planned', 'in_progress'], [0.55, 0.45]);
    // replant_needed: planted in full, but survival was low and gaps must be replanted
    p.plantedMu = p.status === 'planted' || p.status === 'replant_needed' ? p.plannedMu : 0;
  }
  // If what is fully planted leaves too little for the part-done plots to be part done, some of
  // the recent ordinary plots are still being planted after all.
  const plannedOf = (ps: Plot[]) => ps.reduce((sum, p) => sum + p.plannedMu, 0);
  const switchable = rng.shuffle(plots.filter((p) => p.group === 'ordinary' && p.year >= 2025 && p.status === 'planted'));
  while (switchable.length && plannedOf(plots.filter((p) => p.status !== 'in_progress' && p.plantedMu > 0)) + 0.35 * plannedOf(plots.filter((p) => p.status === 'in_progress')) > PLOTS.plantedMu) {
    const p = switchable.pop()!;
    p.status = 'in_progress';
    p.plantedMu = 0;
  }
  const partial = plots.filter((p) => p.status === 'in_progress');
  const weights = partial.map(() => rng.uniform(0.5, 1.5));
  const done = plots.reduce((sum, p) => sum + p.plantedMu, 0);
  const share = (k: number) => partial.map((p, i) => round1(p.plannedMu * Math.min(0.9, Math.max(0.1, k * weights[i]))));
  let [lo, hi] = [0, 2];
  for (let i = 0; i < 50; i++) {
    const k = (lo + hi) / 2;
    if (done + share(k).reduce((a, b) => a + b, 0) < PLOTS.plantedMu) lo = k;
    else hi = k;
  }
  share(lo).forEach((mu, i) => (partial[i].plantedMu = mu));
}

/**
 * Four ordinary plots whose reported (planned) area is 15–25 % off their surveyed geometry, as
 * happens with ledgers copied from old paperwork: the app's "area differs" check has something
 * to find. Two too high, two too low, so the total stays put.
 */
function misreport(rng: Random, plots: Plot[]): void {
  const candidates = rng.shuffle(plots.filter((p) => p.group === 'ordinary' && p.status === 'planned')).slice(0, 4);
  candidates.forEach((p, i) => {
    p.plannedMu = round1(p.surveyMu * (i % 2 === 0 ? rng.uniform(1.15, 1.25) : rng.uniform(0.75, 0.85)));
    p.note = 'reported area differs from survey';
  });
}
