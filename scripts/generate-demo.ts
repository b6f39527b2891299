/**
 * Writes the demo township 包集镇 (synthetic, around Huaiyuan County, Anhui) to
 * data/demo/<collection>.geojson: roads, villages, waterways, garbage points, sanitation
 * facilities, afforestation plots, demolition sites, patrol tracks and findings.
 *
 *   npx tsx scripts/generate-demo.ts     (or: npm run generate:demo)
 *
 * Deterministic: every random choice comes from one fixed seed (scripts/demo/config.ts) and every
 * date from DEMO_AS_OF, so two runs write byte-identical files. The figures the data is shaped by
 * come from the seed reports; see data/README.md.
 */
import { fileURLToPath } from 'node:url';
import { Random } from './demo/random.js';
import { SEED, TOWNSHIP, PLOTS, DEMO_AS_OF } from './demo/config.js';
import { townshipOutline, makeVillages } from './demo/township.js';
import { makeCanal, makeRiver, makePonds } from './demo/waterways.js';
import { makeMainRoads, makeVillageRoads, halfWidth, type Road } from './demo/roads.js';
import { makePlots, type Plot } from './demo/plots.js';
import { makeGarbagePoints, garbageProperties } from './demo/garbage.js';
import { makeFacilities, facilityProperties } from './demo/facilities.js';
import { makeDemolitionSites, demolitionProperties } from './demo/demolition.js';
import { Obstacles } from './demo/obstacles.js';
import { makePatrols } from './demo/patrols.js';
import { makeFindings, findingProperties } from './demo/findings.js';
import { feature, lineCoords, pointGeometry, polygonGeometry, writeCollection, round1, type Feature } from './demo/geojson.js';

const OUT_DIR = fileURLToPath(new URL('../data/demo/', import.meta.url));

function roadFeature(r: Road): Feature {
  const geometry = r.parts.length === 1
    ? { type: 'LineString' as const, coordinates: lineCoords(r.parts[0].points) }
    : { type: 'MultiLineString' as const, coordinates: r.parts.map((p) => lineCoords(p.points)) };
  return feature(geometry, { code: r.code, name: r.name, class: r.class, width_m: r.width });
}

function plotFeature(p: Plot): Feature {
  return feature(polygonGeometry(p.ring), {
    plot_code: p.plotCode,
    village: p.village,
    year: p.year,
    species: p.species,
    project: p.project,
    planned_mu: p.plannedMu,
    planted_mu: p.plantedMu,
    status: p.status,
    ...(p.note ? { source: { note: p.note, survey_mu: p.surveyMu } } : {}),
  });
}

function main(): void {
  const rng = new Random(SEED);

  // The land: township outline, villages, the canal and the river.
  const outline = townshipOutline();
  const villages = makeVillages(outline);
  const canal = makeCanal(rng.fork('canal'));
  const river = makeRiver(rng.fork('river'));

  // What later features must keep clear of grows as they are made.
  const obstacles = new Obstacles();
  obstacles.addLine(outline, 'boundary', 'township');
  obstacles.addLine(canal.line!.points, 'canal', 'canal');
  obstacles.addLine(river.line!.points, 'river', 'river');

  const mainRoads = makeMainRoads(rng.fork('main-roads'));
  for (const r of mainRoads) for (const p of r.parts) obstacles.addLine(p.points, 'road', r.code, halfWidth(r));
  const villageRoads = makeVillageRoads(rng.fork('village-roads'), mainRoads, villages, outline, obstacles);
  const roads = [...mainRoads, ...villageRoads];
  const ponds = makePonds(rng.fork('ponds'), villages, obstacles, 14);

  const plots = makePlots(rng.fork('plots'), { roads, canal: canal.line!, villages, outline, obstacles });
  const demolition = makeDemolitionSites(rng.fork('demolition'), roads, obstacles);
  const facilities = makeFacilities(rng.fork('facilities'), roads, villages, obstacles);
  const garbage = makeGarbagePoints(rng.fork('garbage'), roads, [canal, river, ...ponds], 2400);
  const patrols = makePatrols(rng.fork('patrols'), roads);
  const findings = makeFindings(rng.fork('findings'), roads, [canal, river], 320);

  const files: Record<string, Feature[]> = {
    roads: roads.map(roadFeature),
    villages: villages.map((v) => feature(polygonGeometry(v.ring), { name: v.name, code: v.code, township: TOWNSHIP })),
    waterways: [canal, river, ...ponds].map((w) => feature(
      w.line ? { type: 'LineString', coordinates: lineCoords(w.line.points) } : polygonGeometry(w.ring!),
      { name: w.name, kind: w.kind },
    )),
    garbage_points: garbage.map((g) => feature(pointGeometry(g.at), garbageProperties(g))),
    sanitation_facilities: facilities.map((f) => feature(pointGeometry(f.at), facilityProperties(f))),
    afforestation_plots: plots.map(plotFeature),
    demolition_sites: demolition.map((d) => feature(
      d.point ? { type: 'Point', coordinates: d.point } : d.ring ? polygonGeometry(d.ring) : pointGeometry(d.at!),
      demolitionProperties(d),
    )),
    patrols: patrols.map((p) => feature({ type: 'LineString', coordinates: lineCoords(p.points) }, {
      inspector: p.inspector, patrolled_on: p.patrolledOn, started_at: p.startedAt, ended_at: p.endedAt, description: `${p.road} 巡查`,
    })),
    findings: findings.map((f) => feature(pointGeometry(f.at), findingProperties(f))),
  };

  let total = 0;
  for (const [id, features] of Object.entries(files)) {
    const bytes = writeCollection(OUT_DIR, id, features);
    total += bytes;
    console.log(`${id.padEnd(22)} ${String(features.length).padStart(5)} features ${(bytes / 1024).toFixed(0).padStart(5)} KiB`);
  }
  console.log(`${'total'.padEnd(22)} ${(total / 1024).toFixed(0).padStart(20)} KiB  (as of ${DEMO_AS_OF}, seed ${SEED})`);

  const sum = (ps: Plot[], k: 'plannedMu' | 'plantedMu') => round1(ps.reduce((a, p) => a + p[k], 0));
  const group = (g: Plot['group']) => plots.filter((p) => p.group === g);
  console.log(`plots: planned ${sum(plots, 'plannedMu')} 亩 (target ${PLOTS.plannedMu}), planted ${sum(plots, 'plantedMu')} 亩 (target ${PLOTS.plantedMu}); ` +
    `corridor ${group('corridor').length} plots ${sum(group('corridor'), 'plannedMu')} 亩, bridge ${group('bridge').length} plots ${sum(group('bridge'), 'plannedMu')} 亩, ` +
    `bank ${group('bank').length} plots ${sum(group('bank'), 'plannedMu')} 亩, ordinary ${group('ordinary').length} plots ${sum(group('ordinary'), 'plannedMu')} 亩`);
  const setback = demolition.filter((d) => d.source);
  console.log(`demolition: ${setback.filter((d) => (d.source!.offset_m as number) < 10).length} setback sites inside 10 m, ${setback.filter((d) => (d.source!.offset_m as number) > 10).length} just outside; ${demolition.filter((d) => d.ring).length} polygons`);
}

main();
