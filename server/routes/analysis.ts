/**
 * /api/analysis/…: each answer states its parameters; f=csv (f=xlsx) gives the main table as CSV (XLSX) and, where
 * the map needs shapes, f=geojson gives them. Parameters are checked in analysis/params.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import type { Db } from '../db/index.js';
import { invalidParameter } from '../errors.js';
import { parseCount, parseEnumList, parseMetres, parseMonth, parseReference, parseRoads, parseVillage, monthRange } from '../analysis/params.js';
import { setback, setbackGeoJson, SETBACK_STATUSES } from '../analysis/setback.js';
import { corridor, rewardsOver } from '../analysis/corridor.js';
import { facilities, greenCorridor } from '../analysis/coverage.js';
import { afforestation } from '../analysis/afforestation.js';
import { patrolCoverage } from '../analysis/patrols.js';
import { getSetting } from '../settings/settings.js';
import { toCsv } from '../analysis/csv.js';
import { toXlsx } from '../analysis/xlsx.js';
import { exportFeatureCollection } from '../formats/write.js';
import { exportCrs } from '../formats/crs.js';
import { parseEncoding } from '../formats/text.js';
import { gateRoutes, type Gate } from '../analysis/gate.js';
import { shanghaiToday } from '../collections/properties.js';
import { contentDisposition } from './download.js';

const Str = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
const Format = <F extends string>(...formats: F[]) => Type.Optional(Type.Union(formats.map((f) => Type.Literal(f))));
const query = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });

/** The main table of an analysis as CSV or XLSX (Chinese headers), named after the analysis and the day. */
async function sendTable(reply: FastifyReply, f: 'csv' | 'xlsx', name: string, rows: Record<string, unknown>[], columns?: string[]): Promise<string | Buffer> {
  const date = shanghaiToday();
  reply.header('Content-Disposition', contentDisposition(`${name}-${date}.${f}`));
  if (f === 'xlsx') {
    reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return toXlsx(name, rows, columns);
  }
  reply.type('text/csv; charset=utf-8');
  return toCsv(rows, columns);
}

/** The shapes of an analysis (its f=geojson) as a Shapefile, GeoPackage or KML. */
async function sendFeatures(reply: FastifyReply, f: 'shp' | 'gpkg' | 'kml', name: string, fc: { features: { geometry: unknown; properties?: Record<string, unknown> | null }[] }, q: { crs?: string; encoding?: string }): Promise<Buffer> {
  const encoding = parseEncoding(q.encoding) ?? 'utf-8';
  if (q.encoding !== undefined && !parseEncoding(q.encoding)) throw invalidParameter('encoding', 'use utf-8 or gbk');
  const file = await exportFeatureCollection(name, fc as never, f, exportCrs(q.crs), encoding);
  const date = shanghaiToday();
  reply.type(file.contentType).header('Content-Disposition', contentDisposition(`${name}-${date}.${file.extension}`));
  return file.body;
}

export async function analysisRoutes(fastify: FastifyInstance, opts: { db: Db; gate?: Gate }): Promise<void> {
  if (opts.gate) gateRoutes(fastify, opts.gate);
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  app.get('/api/analysis/setback', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        distance_m: Str('setback in metres for every road; default: per road class from settings (setback_m_by_class)'),
        reference: Str('centerline (default) or edge (centre line + width_m/2)'),
        roads: Str('road codes, comma-separated; default: every road'),
        village: Str('only this village'),
        statuses: Str(`demolition-site statuses that count; default ${SETBACK_STATUSES.join(',')}`),
        f: Format('json', 'csv', 'xlsx', 'geojson', 'shp', 'gpkg', 'kml'),
        crs: Str('shp, gpkg: EPSG:4326 (default), EPSG:4490 or a CGCS2000 Gauss-Kruger zone'),
        encoding: Str('shp: utf-8 (default) or gbk'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const { roads, codes } = await parseRoads(db, q.roads);
    const params = {
      roads,
      roadCodes: codes,
      distance_m: parseMetres('distance_m', q.distance_m, undefined, 1000),
      reference: parseReference(q.reference),
      village: await parseVillage(db, q.village),
      statuses: parseEnumList('statuses', q.statuses, 'demolition_sites', 'status', SETBACK_STATUSES),
    };
    if (q.f === 'geojson') return reply.type('application/geo+json').send(await setbackGeoJson(db, params));
    if (q.f === 'shp' || q.f === 'gpkg' || q.f === 'kml') return sendFeatures(reply, q.f, 'setback', await setbackGeoJson(db, params), q);
    const { report } = await setback(db, params);
    if (q.f === 'csv' || q.f === 'xlsx') return sendTable(reply, q.f, 'setback-violations', report.violations);
    return report;
  });

  app.get('/api/analysis/corridor', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        month: Str('YYYY-MM in Asia/Shanghai; default: this month'),
        corridor_m: Str('metres either side of the centre line, default 30'),
        roads: Str('road codes, comma-separated; default: every road'),
        f: Format('json', 'csv', 'xlsx'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const { roads, codes } = await parseRoads(db, q.roads);
    const result = await corridor(db, { roads, roadCodes: codes, month: parseMonth('month', q.month), corridor_m: parseMetres('corridor_m', q.corridor_m, 30, 500)! });
    if (q.f === 'csv' || q.f === 'xlsx') return sendTable(reply, q.f, `corridor-${result.parameters.month}`, result.units);
    return result;
  });

  app.get('/api/analysis/rewards', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        from: Str('first month YYYY-MM'),
        to: Str('last month YYYY-MM; default: this month'),
        corridor_m: Str('metres either side of the centre line, default 30'),
        roads: Str('road codes, comma-separated; default: every road'),
        f: Format('json', 'csv', 'xlsx'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    if (!q.from) throw invalidParameter('from', 'is required: the first month as YYYY-MM, e.g. from=2026-01');
    const { roads, codes } = await parseRoads(db, q.roads);
    const months = monthRange(parseMonth('from', q.from), parseMonth('to', q.to));
    const result = await rewardsOver(db, { roads, roadCodes: codes, months, corridor_m: parseMetres('corridor_m', q.corridor_m, 30, 500)! });
    if (q.f === 'csv' || q.f === 'xlsx') return sendTable(reply, q.f, `rewards-${result.parameters.from}-${result.parameters.to}`, result.villages);
    return result;
  });

  app.get('/api/analysis/facilities', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        distance_m: Str('metres from a good garbage pool or bin that count as covered, default 500'),
        roads: Str('road codes, comma-separated; default: every road'),
        suggest: Str('how many new bin sites to suggest, 0–50, default 5'),
        f: Format('json', 'csv', 'xlsx', 'geojson', 'shp', 'gpkg', 'kml'),
        crs: Str('shp, gpkg: EPSG:4326 (default), EPSG:4490 or a CGCS2000 Gauss-Kruger zone'),
        encoding: Str('shp: utf-8 (default) or gbk'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const { roads, codes } = await parseRoads(db, q.roads);
    const result = await facilities(db, { roads, roadCodes: codes, distance_m: parseMetres('distance_m', q.distance_m, 500, 5000)!, suggest: parseCount('suggest', q.suggest, 5, 50) });
    if (q.f === 'csv' || q.f === 'xlsx') return sendTable(reply, q.f, 'facility-coverage', result.roads);
    if (q.f === 'geojson' || q.f === 'shp' || q.f === 'gpkg' || q.f === 'kml') {
      const fc = {
        type: 'FeatureCollection',
        parameters: result.parameters,
        features: [
          ...result.uncovered.features.map((f) => ({ ...f, properties: { layer: 'uncovered', ...f.properties } })),
          ...result.suggested_sites.map((s) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.lon, s.lat] }, properties: { layer: 'suggested_site', rank: s.rank, covers_m: s.covers_m } })),
        ],
      };
      if (q.f !== 'geojson') return sendFeatures(reply, q.f, 'facility-coverage', fc, q);
      return reply.type('application/geo+json').send(fc);
    }
    return result;
  });

  app.get('/api/analysis/green-corridor', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        distance_m: Str('metres from the centre line, default 50'),
        roads: Str('road codes, comma-separated; default: every road'),
        f: Format('json', 'csv', 'xlsx'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const { roads, codes } = await parseRoads(db, q.roads);
    const result = await greenCorridor(db, { roads, roadCodes: codes, distance_m: parseMetres('distance_m', q.distance_m, 50, 1000)! });
    if (q.f === 'csv' || q.f === 'xlsx') {
      return sendTable(reply, q.f, 'green-corridor', result.roads.map((r) => ({
        code: r.code, name: r.name, length_km: r.length_km,
        left_covered_km: r.left.covered_km, left_covered_pct: r.left.covered_pct,
        right_covered_km: r.right.covered_km, right_covered_pct: r.right.covered_pct,
      })));
    }
    return result;
  });

  app.get('/api/analysis/afforestation', {
    schema: {
      tags: ['analysis'],
      querystring: query({ year: Str('planting year'), village: Str('village name'), species: Str('species, e.g. 石榴'), f: Format('json', 'csv', 'xlsx') }),
    },
  }, async (req, reply) => {
    const q = req.query;
    let year: number | null = null;
    if (q.year) {
      year = Number(q.year);
      if (!Number.isInteger(year) || year < 1950 || year > 2100) throw invalidParameter('year', 'must be a year from 1950 to 2100');
    }
    const result = await afforestation(db, { year, village: await parseVillage(db, q.village), species: q.species || null });
    if (q.f === 'csv' || q.f === 'xlsx') return sendTable(reply, q.f, 'afforestation', result.groups);
    return result;
  });

  app.get('/api/analysis/patrol-coverage', {
    schema: {
      tags: ['analysis'],
      querystring: query({
        month: Str('YYYY-MM in Asia/Shanghai; default: this month'),
        buffer_m: Str('metres from the unit within which a track counts; default from settings (patrol_coverage.buffer_m, 30)'),
        min_share: Str('share of the unit a patrol must run along, 0.1–1; default from settings (patrol_coverage.min_share, 0.8)'),
        roads: Str('road codes, comma-separated; default: every road'),
        f: Format('json', 'csv', 'geojson'),
      }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const setting = await getSetting(db, 'patrol_coverage');
    let minShare = setting.min_share;
    if (q.min_share !== undefined && q.min_share !== '') {
      minShare = Number(q.min_share);
      if (!Number.isFinite(minShare) || minShare < 0.1 || minShare > 1) throw invalidParameter('min_share', `must be a share from 0.1 to 1 (0.8 = 80 % of the unit), got ${JSON.stringify(q.min_share.slice(0, 20))}`);
    }
    const { roads, codes } = await parseRoads(db, q.roads);
    const result = await patrolCoverage(db, {
      roads, roadCodes: codes, month: parseMonth('month', q.month),
      buffer_m: parseMetres('buffer_m', q.buffer_m, setting.buffer_m, 200)!, min_share: minShare,
    });
    if (q.f === 'csv' || q.f === 'xlsx') {
      return sendTable(reply, q.f, `patrol-coverage-${result.parameters.month}`, result.units.map(({ geometry: _g, inspectors, ...u }) => ({ ...u, inspectors: inspectors.join(' ') })));
    }
    if (q.f === 'geojson') {
      return reply.type('application/geo+json').send({
        type: 'FeatureCollection',
        parameters: result.parameters,
        features: [
          ...result.units.map(({ geometry, ...u }) => ({ type: 'Feature', geometry, properties: { layer: 'patrol_unit', ...u } })),
          ...result.tracks.map(({ geometry, ...t }) => ({ type: 'Feature', geometry, properties: { layer: 'patrol_track', ...t } })),
        ],
      });
    }
    return result;
  });
}
