/**
 * The committed demo township (data/demo/*.geojson, written by scripts/generate-demo.ts) keeps
 * the promises data/README.md makes: counts and totals from the seed reports, every enumerated
 * value present, areas that match their geometry, setback test sites at their stated distances,
 * villages that tile the township, and every feature accepted by the server's own checks.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, LineString, MultiLineString, Point, Polygon, Position } from 'geojson';
import { COLLECTIONS, GARBAGE_CATEGORIES, ROAD_CLASSES, findCollection, enumProperties, type CollectionDef } from '../../server/collections/registry.js';
import { checkGeometry } from '../../server/collections/geometry.js';
import { checkProperties } from '../../server/collections/properties.js';
import { townshipOutline } from '../../scripts/demo/township.js';
import { toLonLat } from '../../scripts/demo/plane.js';
import { BBOX, DEMO_AS_OF, M2_PER_MU, PLOTS, TOWNSHIP } from '../../scripts/demo/config.js';

const DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));
const DAY = 86400_000;
const AS_OF = Date.parse(`${DEMO_AS_OF}T00:00:00+08:00`);
const YEAR_AGO = Date.parse(`${Number(DEMO_AS_OF.slice(0, 4)) - 1}${DEMO_AS_OF.slice(4)}T00:00:00+08:00`);

type Props = Record<string, any>;
type AnyFeature = Feature<Point | LineString | MultiLineString | Polygon, Props>;

function load(id: string): AnyFeature[] {
  const fc = JSON.parse(readFileSync(`${DIR}${id}.geojson`, 'utf8')) as FeatureCollection;
  expect(fc.type).toBe('FeatureCollection');
  return fc.features as AnyFeature[];
}

const data = Object.fromEntries(COLLECTIONS.map((c) => [c.id, load(c.id)])) as Record<string, AnyFeature[]>;
const roads = data.roads as Feature<LineString | MultiLineString, Props>[];
const villages = data.villages as Feature<Polygon, Props>[];
const plots = data.afforestation_plots as Feature<Polygon, Props>[];
const garbage = data.garbage_points as Feature<Point, Props>[];
const facilities = data.sanitation_facilities as Feature<Point, Props>[];
const demolition = data.demolition_sites as Feature<Point | Polygon, Props>[];
const waterways = data.waterways;

const mu = (f: Feature<Polygon>) => turf.area(f) / M2_PER_MU;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const lines = (f: Feature<LineString | MultiLineString>): Feature<LineString>[] =>
  f.geometry.type === 'LineString' ? [turf.lineString(f.geometry.coordinates)] : f.geometry.coordinates.map((c) => turf.lineString(c));
const road = (code: string) => roads.find((r) => r.properties.code === code)!;
const lengthKm = (f: Feature<LineString | MultiLineString>) => turf.length(f, { units: 'kilometers' });

/**
 * Roads cut into short pieces with their bounding boxes, so that exact (geodesic) distance checks
 * run only on the few pieces near a point.
 */
const PAD = 0.0005; // degrees, about 50 m
interface Piece {
  road: Feature<LineString | MultiLineString, Props>;
  line: Feature<LineString>;
  box: number[];
}
const pieces: Piece[] = roads.flatMap((road) => lines(road).flatMap((l) => {
  const c = l.geometry.coordinates;
  const out: Piece[] = [];
  for (let i = 0; i < c.length - 1; i += 16) {
    const line = turf.lineString(c.slice(i, i + 17));
    out.push({ road, line, box: turf.bbox(line) });
  }
  return out;
}));
const boxesMeet = (a: number[], b: number[], pad = PAD) => a[0] - pad <= b[2] && b[0] - pad <= a[2] && a[1] - pad <= b[3] && b[1] - pad <= a[3];
const near = (box: number[], p: Position) => boxesMeet(box, [p[0], p[1], p[0], p[1]]);

/** Distance in metres from p to the nearest road centre line within ~50 m (Infinity if none). */
function nearestRoad(p: Position, except?: Feature): { road?: Feature<LineString | MultiLineString, Props>; m: number } {
  let best: { road?: Feature<LineString | MultiLineString, Props>; m: number } = { m: Infinity };
  for (const piece of pieces) {
    if (piece.road === except || !near(piece.box, p)) continue;
    const m = turf.pointToLineDistance(p, piece.line, { units: 'meters' });
    if (m < best.m) best = { road: piece.road, m };
  }
  return best;
}

function positions(g: AnyFeature['geometry']): Position[] {
  switch (g.type) {
    case 'Point': return [g.coordinates];
    case 'LineString': return g.coordinates;
    case 'MultiLineString': return g.coordinates.flat();
    case 'Polygon': return g.coordinates.flat();
  }
}

function valuesOf(features: AnyFeature[], name: string): Set<unknown> {
  return new Set(features.map((f) => f.properties[name]));
}

describe('demo data: every feature is accepted by the server', () => {
  it.each(COLLECTIONS.map((c) => [c.id, c] as [string, CollectionDef]))('%s: geometry, properties and bounding box', (_id, c) => {
    const allowed = new Set([...c.properties.map((p) => p.name), 'source']);
    const problems: string[] = [];
    data[c.id].forEach((f, i) => {
      expect(f.type).toBe('Feature');
      const g = checkGeometry(f.geometry, c.geometryTypes);
      if (!g.ok) problems.push(`${i}: ${g.reason}`);
      else if (g.dropped) problems.push(`${i}: ${g.dropped}`);
      const p = checkProperties(c, f.properties, 'import');
      if (p.errors.length) problems.push(`${i}: ${p.errors.map((e) => e.reason).join('; ')}`);
      for (const key of Object.keys(f.properties)) if (!allowed.has(key)) problems.push(`${i}: unknown property ${key}`);
      for (const [lon, lat] of positions(f.geometry)) {
        if (lon < BBOX.minLon || lon > BBOX.maxLon || lat < BBOX.minLat || lat > BBOX.maxLat) problems.push(`${i}: [${lon}, ${lat}] outside the demo box`);
        if (Math.round(lon * 1e7) / 1e7 !== lon || Math.round(lat * 1e7) / 1e7 !== lat) problems.push(`${i}: more than 7 decimals`);
      }
    });
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('uses every value of the enumerations the demo promises', () => {
    const expectAll = (features: AnyFeature[], name: string, values: readonly string[]) => expect([...valuesOf(features, name)].sort()).toEqual([...values].sort());
    const values = (collection: string, name: string) => enumProperties(findCollection(collection)!).find((p) => p.name === name)!.values;
    expectAll(roads, 'class', Object.keys(ROAD_CLASSES));
    expectAll(garbage, 'category', Object.keys(GARBAGE_CATEGORIES));
    expectAll(garbage, 'status', values('garbage_points', 'status'));
    expectAll(facilities, 'kind', values('sanitation_facilities', 'kind'));
    expectAll(facilities, 'condition', values('sanitation_facilities', 'condition'));
    expectAll(plots, 'status', values('afforestation_plots', 'status'));
    expectAll(demolition, 'kind', values('demolition_sites', 'kind'));
    expectAll(demolition, 'status', values('demolition_sites', 'status'));
    expect([...valuesOf(waterways, 'kind')].sort()).toEqual(['canal', 'pond', 'river']);
  });

  it('keeps the folder small', () => {
    const bytes = sum(COLLECTIONS.map((c) => statSync(`${DIR}${c.id}.geojson`).size));
    expect(bytes).toBeLessThan(2.5 * 1024 * 1024);
  });
});

describe('demo data: roads', () => {
  it('has the seed roads with their classes, names and lengths', () => {
    const expected: [string, string, string][] = [
      ['S225', '225省道', 'provincial'], ['S307', '307省道', 'provincial'], ['G206', '206国道', 'national'], ['X043', 'X043县道', 'county'],
      ['Y001', '包王路', 'township'], ['Y002', '包高路', 'township'], ['Y003', '包火路', 'township'], ['Y004', '君高路', 'township'],
    ];
    for (const [code, name, cls] of expected) expect(road(code)?.properties).toMatchObject({ code, name, class: cls });
    for (const code of ['S225', 'S307', 'G206']) expect(lengthKm(road(code))).toBeGreaterThan(8), expect(lengthKm(road(code))).toBeLessThan(15);
    for (const code of ['Y001', 'Y002', 'Y003', 'Y004']) expect(lengthKm(road(code))).toBeGreaterThan(3), expect(lengthKm(road(code))).toBeLessThan(8);
    expect(road('X043').properties.width_m).toBeNull();
    // S225 and S307 cross in the township centre
    expect(turf.lineIntersect(road('S225'), road('S307')).features).toHaveLength(1);
  });

  it('has 15–25 village roads of 0.5–3 km, each starting on another road', () => {
    const village = roads.filter((r) => r.properties.class === 'village');
    expect(village.length).toBeGreaterThanOrEqual(15);
    expect(village.length).toBeLessThanOrEqual(25);
    for (const r of village) {
      expect(r.properties.code).toMatch(/^C\d{3}$/);
      expect(r.properties.name).toMatch(/村道/);
      const first = lines(r)[0];
      expect(turf.length(first, { units: 'kilometers' })).toBeGreaterThanOrEqual(0.5);
      expect(lengthKm(r)).toBeLessThanOrEqual(3);
      expect(nearestRoad(first.geometry.coordinates[0], r).m).toBeLessThan(0.01);
    }
  });

  it('gives most roads a width in their class range and leaves a few without', () => {
    const range: Record<string, [number, number]> = { national: [12, 16], provincial: [10, 12], county: [7, 8], township: [5, 7], village: [3.5, 4.5] };
    const withWidth = roads.filter((r) => r.properties.width_m !== null && r.properties.width_m !== undefined);
    expect(withWidth.length).toBeGreaterThan(roads.length * 0.8);
    expect(withWidth.length).toBeLessThan(roads.length);
    for (const r of withWidth) {
      const [lo, hi] = range[r.properties.class];
      expect(r.properties.width_m).toBeGreaterThanOrEqual(lo);
      expect(r.properties.width_m).toBeLessThanOrEqual(hi);
    }
  });
});

describe('demo data: villages', () => {
  it('has the 17 villages of the township with statistical codes', () => {
    expect(villages).toHaveLength(17);
    const names = villages.map((v) => v.properties.name);
    for (const n of ['杨圩', '大观', '沈郢', '石山', '前唐', '后唐', '尤村', '包集', '王庄', '高庙', '火庙', '君庄']) expect(names).toContain(`${n}村`);
    expect(new Set(names).size).toBe(17);
    expect(new Set(villages.map((v) => v.properties.code)).size).toBe(17);
    for (const v of villages) {
      expect(v.geometry.type).toBe('Polygon');
      expect(v.properties.code).toMatch(/^340321103\d{3}$/);
      expect(v.properties.township).toBe(TOWNSHIP);
    }
  });

  it('tiles the township outline with no gaps or overlaps', () => {
    const township = turf.polygon([townshipOutline().map((p) => toLonLat(p))]);
    const total = sum(villages.map((v) => turf.area(v)));
    expect(Math.abs(total - turf.area(township)) / turf.area(township)).toBeLessThan(0.001);
    let overlap = 0;
    for (let i = 0; i < villages.length; i++) {
      for (let j = i + 1; j < villages.length; j++) {
        const x = turf.intersect(turf.featureCollection([villages[i], villages[j]]));
        if (x) overlap += turf.area(x);
      }
    }
    expect(overlap).toBeLessThan(1); // m²
    const union = turf.union(turf.featureCollection(villages));
    expect(union?.geometry.type).toBe('Polygon');
    expect((union!.geometry as Polygon).coordinates).toHaveLength(1); // no holes: no gaps
  });
});

describe('demo data: waterways', () => {
  it('has 茨淮新河 crossing S225 in the north, 芡河 in the south and 10–20 ponds of 0.2–2 ha', () => {
    const canal = waterways.find((w) => w.properties.name === '茨淮新河')!;
    const river = waterways.find((w) => w.properties.name === '芡河')!;
    expect(canal.properties.kind).toBe('canal');
    expect(river.properties.kind).toBe('river');
    const bridge = turf.lineIntersect(canal as Feature<LineString>, road('S225')).features;
    expect(bridge).toHaveLength(1);
    expect(bridge[0].geometry.coordinates[1]).toBeGreaterThan(32.95);
    expect(turf.lineIntersect(river as Feature<LineString>, road('S225')).features[0].geometry.coordinates[1]).toBeLessThan(32.95);
    const ponds = waterways.filter((w) => w.properties.kind === 'pond') as Feature<Polygon, Props>[];
    expect(ponds.length).toBeGreaterThanOrEqual(10);
    expect(ponds.length).toBeLessThanOrEqual(20);
    for (const p of ponds) {
      expect(turf.area(p)).toBeGreaterThanOrEqual(2000);
      expect(turf.area(p)).toBeLessThanOrEqual(20000);
    }
  });
});

describe('demo data: garbage points', () => {
  const t = (s: string) => Date.parse(s);
  const open = (f: Feature<Point, Props>) => f.properties.status === 'reported' || f.properties.status === 'assigned';

  it('has over 2000 points of the last 12 months with consistent clearing', () => {
    expect(garbage.length).toBeGreaterThanOrEqual(2000);
    for (const { properties: p } of garbage) {
      expect(t(p.reported_at)).toBeGreaterThanOrEqual(YEAR_AGO);
      expect(t(p.reported_at)).toBeLessThan(AS_OF);
      if (open({ properties: p } as Feature<Point, Props>)) expect(p.cleared_at).toBeUndefined();
      else {
        const days = (t(p.cleared_at) - t(p.reported_at)) / DAY;
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(20);
        expect(t(p.cleared_at)).toBeLessThan(AS_OF);
      }
      expect(p.volume_t).toBeGreaterThanOrEqual(0.05);
      expect(p.volume_t).toBeLessThanOrEqual(p.category === 'construction' ? 20 : 5);
    }
    expect(garbage.filter((f) => f.properties.category === 'domestic').length).toBeGreaterThan(garbage.length * 0.35);
  });

  it('has old points mostly cleared and recent ones mostly open', () => {
    const older = garbage.filter((f) => t(f.properties.reported_at) < AS_OF - 90 * DAY);
    const recent = garbage.filter((f) => t(f.properties.reported_at) >= AS_OF - 7 * DAY);
    expect(older.filter(open).length / older.length).toBeLessThan(0.1);
    expect(recent.filter(open).length / recent.length).toBeGreaterThan(0.5);
  });

  it('puts floating debris on water and the rest beside roads', () => {
    const water = waterways.map((w) => (w.geometry.type === 'Polygon' ? { poly: w as Feature<Polygon>, line: turf.polygonToLine(w as Feature<Polygon>) as Feature<LineString> } : { line: w as Feature<LineString> }));
    for (const f of garbage.filter((g) => g.properties.category === 'floating_debris')) {
      const p = f.geometry.coordinates;
      const onWater = water.some((w) => (w.poly && turf.booleanPointInPolygon(p, w.poly)) || turf.pointToLineDistance(p, w.line, { units: 'meters' }) <= 20);
      expect(onWater).toBe(true);
    }
    const others = garbage.filter((g) => g.properties.category !== 'floating_debris');
    const roadside = others.filter((f) => nearestRoad(f.geometry.coordinates).m <= 25.5);
    expect(roadside.length / others.length).toBeGreaterThan(0.95);
  });
});

describe('demo data: sanitation facilities', () => {
  const of = (kind: string) => facilities.filter((f) => f.properties.kind === kind);

  it('has 160 pools, 450 bins, a transfer station and depots for 30 tricycles', () => {
    expect(of('garbage_pool')).toHaveLength(160);
    expect(of('bin')).toHaveLength(450);
    expect(of('transfer_station')).toHaveLength(1);
    expect(sum(of('tricycle_depot').map((f) => f.properties.capacity))).toBe(30);
    for (const f of of('garbage_pool')) expect(f.properties.capacity).toBeGreaterThanOrEqual(2), expect(f.properties.capacity).toBeLessThanOrEqual(6);
    for (const f of of('bin')) expect(f.properties.capacity).toBe(0.24);
  });

  it('has about 10 % of bins damaged and 5 % missing, pools mostly good', () => {
    const bins = of('bin');
    const share = (c: string) => bins.filter((f) => f.properties.condition === c).length / bins.length;
    expect(share('damaged')).toBeCloseTo(0.1, 1);
    expect(share('missing')).toBeCloseTo(0.05, 1);
    expect(of('garbage_pool').filter((f) => f.properties.condition === 'good').length).toBeGreaterThan(140);
  });

  it('places pools and bins 3–12 m off a road centre line', () => {
    for (const f of [...of('garbage_pool'), ...of('bin')]) {
      const { m } = nearestRoad(f.geometry.coordinates);
      expect(m).toBeGreaterThan(2.9);
      expect(m).toBeLessThan(12.1);
    }
  });
});

describe('demo data: afforestation plots', () => {
  const project = (name: string) => plots.filter((p) => p.properties.project === name);
  const planned = (ps: Feature<Polygon, Props>[]) => sum(ps.map((p) => p.properties.planned_mu));
  const misreported = plots.filter((p) => p.properties.source?.note === 'reported area differs from survey');

  it('has 181 plots, 5190 亩 planned and 2700 亩 planted', () => {
    expect(plots).toHaveLength(PLOTS.count);
    expect(Math.abs(planned(plots) - PLOTS.plannedMu) / PLOTS.plannedMu).toBeLessThan(0.01);
    expect(Math.abs(sum(plots.map((p) => p.properties.planted_mu)) - PLOTS.plantedMu) / PLOTS.plantedMu).toBeLessThan(0.02);
  });

  it('has the S225 green corridor (800 亩) and the 茨淮新河 pomegranate bases (500 and 2300 亩)', () => {
    const corridor = project('S225绿色长廊');
    expect(Math.abs(planned(corridor) - PLOTS.corridorMu) / PLOTS.corridorMu).toBeLessThan(0.02);
    for (const p of corridor) expect(['女贞', '栾树', '香樟', '垂柳']).toContain(p.properties.species);
    const pomegranate = project('茨淮新河石榴基地');
    for (const p of pomegranate) expect(p.properties.species).toBe('石榴');
    const bridge = pomegranate.filter((p) => p.properties.plot_code.startsWith('SL-2025-'));
    const bank = pomegranate.filter((p) => p.properties.plot_code.startsWith('SL-2026-'));
    expect(bridge.length + bank.length).toBe(pomegranate.length);
    expect(planned(bridge)).toBeGreaterThanOrEqual(500);
    expect(planned(bridge)).toBeLessThan(520);
    expect(Math.abs(planned(bank) - PLOTS.bankPomegranateMu) / PLOTS.bankPomegranateMu).toBeLessThan(0.02);
    // The corridor strips start 8–15 m from the S225 centre line and are 20–40 m deep.
    const s225 = pieces.filter((piece) => piece.road === road('S225'));
    const fromS225 = (c: Position) => Math.min(...s225.filter((piece) => boxesMeet(piece.box, [c[0], c[1], c[0], c[1]], 0.001)).map((piece) => turf.pointToLineDistance(c, piece.line, { units: 'meters' })));
    for (const p of corridor) {
      const d = p.geometry.coordinates[0].map(fromS225);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(8);
      expect(Math.min(...d)).toBeLessThanOrEqual(15);
      expect(Math.max(...d) - Math.min(...d)).toBeGreaterThanOrEqual(20);
      expect(Math.max(...d) - Math.min(...d)).toBeLessThanOrEqual(40);
    }
  });

  it('gives each plot the area of its geometry, except a few flagged ones', () => {
    expect(misreported.length).toBeGreaterThanOrEqual(3);
    expect(misreported.length).toBeLessThanOrEqual(5);
    for (const p of plots) {
      const off = Math.abs(p.properties.planned_mu - mu(p)) / mu(p);
      if (misreported.includes(p)) expect(off).toBeGreaterThan(0.14), expect(off).toBeLessThan(0.26);
      else expect(off).toBeLessThan(0.02);
    }
    expect(plots.filter((p) => Math.abs(p.properties.planned_mu - mu(p)) / mu(p) < 0.02).length / plots.length).toBeGreaterThanOrEqual(0.95);
    const geometric = sum(plots.map(mu));
    expect(Math.abs(planned(plots) - geometric) / geometric).toBeLessThan(0.02);
  });

  it('has statuses consistent with the planted area, years 2024–2026, codes and villages', () => {
    for (const { properties: p } of plots) {
      expect(p.year).toBeGreaterThanOrEqual(2024);
      expect(p.year).toBeLessThanOrEqual(2026);
      if (p.status === 'planned') expect(p.planted_mu).toBe(0);
      if (p.status === 'planted' || p.status === 'replant_needed') expect(p.planted_mu).toBe(p.planned_mu);
      if (p.status === 'in_progress') expect(p.planted_mu).toBeGreaterThan(0), expect(p.planted_mu).toBeLessThan(p.planned_mu);
      expect(p.plot_code).toMatch(/^(ZL|SL)-\d{4}-\d{3}$|^\d{4}-[\u4e00-\u9fff]+-\d{3}$/);
    }
    expect(new Set(plots.map((p) => p.properties.plot_code)).size).toBe(plots.length);
    for (const p of plots) {
      const holder = villages.find((v) => turf.booleanPointInPolygon(turf.centerOfMass(p), v)); // the area centroid, like ST_Centroid
      expect(p.properties.village).toBe(holder?.properties.name);
    }
  });

  it('keeps plots apart and off the carriageways', () => {
    const bb = plots.map((p) => turf.bbox(p));
    for (let i = 0; i < plots.length; i++) {
      for (let j = i + 1; j < plots.length; j++) {
        if (boxesMeet(bb[i], bb[j], 0)) expect(turf.booleanIntersects(plots[i], plots[j])).toBe(false);
      }
    }
    const typical: Record<string, number> = { national: 14, provincial: 11, county: 7.5, township: 6, village: 4 };
    for (const [i, p] of plots.entries()) {
      for (const piece of pieces.filter((x) => boxesMeet(x.box, bb[i]))) {
        const needed = (piece.road.properties.width_m ?? typical[piece.road.properties.class]) / 2 + 2;
        expect(turf.booleanIntersects(p, piece.line)).toBe(false);
        for (const c of p.geometry.coordinates[0]) expect(turf.pointToLineDistance(c, piece.line, { units: 'meters' })).toBeGreaterThanOrEqual(needed);
      }
    }
  });
});

describe('demo data: demolition sites', () => {
  const setback = demolition.filter((d) => d.properties.source?.offset_m !== undefined) as Feature<Point, Props>[];

  it('has over 320 sites, about a fifth of them footprints of 3×4 to 10×20 m', () => {
    expect(demolition.length).toBeGreaterThanOrEqual(320);
    const polygons = demolition.filter((d) => d.geometry.type === 'Polygon') as Feature<Polygon>[];
    expect(polygons.length / demolition.length).toBeGreaterThan(0.15);
    expect(polygons.length / demolition.length).toBeLessThan(0.25);
    for (const p of polygons) {
      expect(turf.area(p)).toBeGreaterThan(11.5);
      expect(turf.area(p)).toBeLessThan(201);
    }
  });

  it('has dates in the last 12 months, deadlines and demolition after identification', () => {
    for (const { properties: p } of demolition) {
      expect(p.identified_on >= '2025-11-20' && p.identified_on < DEMO_AS_OF).toBe(true);
      if (p.status === 'marked' || p.status === 'notice_issued') expect(p.deadline > p.identified_on).toBe(true);
      if (p.status === 'demolished') expect(p.demolished_on >= p.identified_on && p.demolished_on <= DEMO_AS_OF).toBe(true);
      else expect(p.demolished_on).toBeUndefined();
    }
  });

  it('has setback test sites at their stated distance from a trunk road, 40+ inside and 40+ just outside 10 m', () => {
    expect(setback.filter((d) => d.properties.source.offset_m < 10).length).toBeGreaterThanOrEqual(40);
    expect(setback.filter((d) => d.properties.source.offset_m > 10).length).toBeGreaterThanOrEqual(40);
    for (const d of setback) {
      const { offset_m, road: code } = d.properties.source;
      expect(['Y001', 'Y002', 'Y003', 'Y004']).toContain(code);
      expect(d.geometry.type).toBe('Point');
      const nearest = nearestRoad(d.geometry.coordinates);
      expect(nearest.road?.properties.code).toBe(code);
      expect(Math.abs(nearest.m - offset_m)).toBeLessThan(0.05);
      // no other road within 30 m of the site
      expect(nearestRoad(d.geometry.coordinates, road(code)).m).toBeGreaterThan(30);
    }
  });
});

describe('demo data: patrols', () => {
  const patrols = data.patrols as Feature<LineString, Props>[];

  it('has tracks by at least three inspectors on days from September to before DEMO_AS_OF', () => {
    expect(patrols.length).toBeGreaterThan(60);
    expect(new Set(patrols.map((p) => p.properties.inspector)).size).toBeGreaterThanOrEqual(3);
    for (const p of patrols) {
      expect(p.properties.patrolled_on >= '2026-09-01' && p.properties.patrolled_on < DEMO_AS_OF, p.properties.patrolled_on).toBe(true);
      expect(p.properties.started_at.slice(0, 10)).toBe(p.properties.patrolled_on);
      expect(Date.parse(p.properties.ended_at)).toBeGreaterThan(Date.parse(p.properties.started_at));
    }
    // November (the demo's running month) has patrols, and fewer inspectors than before.
    const inspectorsIn = (m: string) => new Set(patrols.filter((p) => p.properties.patrolled_on.startsWith(m)).map((p) => p.properties.inspector)).size;
    expect(inspectorsIn('2026-11')).toBeGreaterThan(0);
    expect(inspectorsIn('2026-11')).toBeLessThan(inspectorsIn('2026-10'));
  });

  it('runs along a road, a few metres off its centre line', () => {
    for (const p of patrols) {
      const c = p.geometry.coordinates;
      expect(c.length).toBeGreaterThan(10);
      for (let i = 0; i < c.length; i += 25) expect(nearestRoad(c[i]).m, `${p.properties.inspector} ${p.properties.patrolled_on} point ${i}`).toBeLessThan(15);
    }
  });
});

describe('demo data: findings', () => {
  const findings = data.findings as Feature<Point, Props>[];

  it('has a few hundred findings of every category over the last six months, recent ones open', () => {
    expect(findings.length).toBeGreaterThanOrEqual(200);
    expect(findings.length).toBeLessThanOrEqual(500);
    expect([...valuesOf(findings, 'category')].sort()).toEqual([...enumProperties(findCollection('findings')!).find((p) => p.name === 'category')!.values].sort());
    const asOf = Date.parse(`${DEMO_AS_OF}T00:00:00+08:00`);
    const times = findings.map((f) => Date.parse(f.properties.found_at));
    for (const t of times) expect(t < asOf && t > asOf - 200 * 86_400_000).toBe(true);
    // Sorted by time, so an import links each repeat to the earlier finding already written.
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const recent = findings.filter((f) => asOf - Date.parse(f.properties.found_at) < 14 * 86_400_000);
    expect(recent.filter((f) => f.properties.status === 'open').length / recent.length).toBeGreaterThan(0.8);
    // Derived values are the server's; converted findings would need the feature they became.
    for (const f of findings) {
      for (const k of ['village', 'road_code', 'stake', 'repeat_of', 'converted_id', 'photo_ids']) expect(f.properties[k]).toBeUndefined();
      expect(f.properties.status).not.toBe('converted');
    }
  });

  it('has places where a category comes back within 20 m and 90 days (repeats, hotspots of 3+)', () => {
    const repeatsOf = findings.map((f, i) => findings.slice(0, i).filter((e) => e.properties.category === f.properties.category
      && Date.parse(f.properties.found_at) - Date.parse(e.properties.found_at) <= 90 * 86_400_000
      && turf.distance(e, f, { units: 'meters' }) <= 20).length);
    expect(repeatsOf.filter((n) => n > 0).length).toBeGreaterThanOrEqual(20);
    expect(repeatsOf.filter((n) => n >= 2).length).toBeGreaterThanOrEqual(8);
  });
});
