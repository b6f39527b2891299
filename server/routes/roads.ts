/**
 * Linear referencing on roads: the 1 km units of a road, the stake of a point, and the point at
 * a stake ("S225 K3+200"), all from road_lines / road_units (migration 005).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { invalidParameter, notFound } from '../errors.js';
import { findCollection } from '../collections/registry.js';
import { parseFeatureId } from './params.js';

const roads = findCollection('roads')!;
const RoadParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const STAKE = /^\s*(\S+?)\s*K(\d{1,4})\+(\d{1,3}(?:\.\d+)?)\s*$/i;

function coordinate(name: 'lon' | 'lat', raw: string | undefined): number {
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  const max = name === 'lon' ? 180 : 90;
  if (!Number.isFinite(n) || Math.abs(n) > max) throw invalidParameter(name, `must be a WGS84 ${name === 'lon' ? 'longitude' : 'latitude'} in degrees (−${max}…${max})`);
  return n;
}

async function roadExists(db: Db, id: number): Promise<{ code: string; name: string }> {
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM roads WHERE id = $1', [id]);
  if (!rows.length) throw notFound(`no road ${id}`);
  return rows[0];
}

export async function roadRoutes(fastify: FastifyInstance, opts: { db: Db }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = opts;

  app.get('/api/roads/:id/units', { schema: { tags: ['roads'], params: RoadParams } }, async (req, reply) => {
    const id = parseFeatureId(roads, req.params.id);
    const road = await roadExists(db, id);
    const { rows } = await db.query<{ id: number; k: number; stake: string; start_m: number; end_m: number; length_m: number; village: string | null; geometry: unknown }>(sqlFile('roads/units'), [id]);
    reply.type('application/geo+json');
    return {
      type: 'FeatureCollection',
      road: { id, ...road },
      features: rows.map(({ geometry, id: unitId, ...props }) => ({ type: 'Feature', id: unitId, geometry, properties: { road_id: id, road_code: road.code, ...props } })),
    };
  });

  app.get('/api/roads/:id/stake', {
    schema: { tags: ['roads'], params: RoadParams, querystring: Type.Object({ lon: Type.String(), lat: Type.String() }, { additionalProperties: false }) },
  }, async (req) => {
    const id = parseFeatureId(roads, req.params.id);
    const road = await roadExists(db, id);
    const lon = coordinate('lon', req.query.lon);
    const lat = coordinate('lat', req.query.lat);
    const { rows } = await db.query<{ stake: string; stake_m: number; offset_m: number; side: string; unit_id: number }>(sqlFile('roads/stake'), [id, lon, lat]);
    const r = rows[0];
    return { road_id: id, road_code: road.code, stake: r.stake, stake_m: Math.round(r.stake_m * 10) / 10, offset_m: Math.round(r.offset_m * 100) / 100, side: r.side, unit_id: r.unit_id };
  });

  app.get('/api/roads/locate', {
    schema: { tags: ['roads'], querystring: Type.Object({ q: Type.String({ maxLength: 100, description: 'a road code and stake, e.g. "S225 K3+200"' }) }, { additionalProperties: false }) },
  }, async (req) => {
    const m = STAKE.exec(req.query.q);
    if (!m) throw invalidParameter('q', `must be a road code and a stake such as "S225 K3+200", got ${JSON.stringify(req.query.q.slice(0, 40))}`);
    const [, code, km, metres] = m;
    const stakeM = Number(km) * 1000 + Number(metres);
    const { rows: found } = await db.query<{ id: number; name: string; length_m: number }>(
      'SELECT r.id, r.name, rl.length_m FROM roads r JOIN road_lines rl ON rl.road_id = r.id WHERE upper(r.code) = upper($1) ORDER BY r.id', [code]);
    if (!found.length) throw notFound(`no road with code ${JSON.stringify(code)}`);
    // A code may name several pieces; the stake is looked up on the first piece long enough.
    const road = found.find((r) => r.length_m + 1 >= stakeM);
    if (!road) throw notFound(`${code} is ${(Math.max(...found.map((r) => r.length_m)) / 1000).toFixed(3)} km long; K${km}+${metres.padStart(3, '0')} is beyond its end`);
    const { rows } = await db.query<{ lon: number; lat: number }>(sqlFile('roads/locate'), [road.id, stakeM]);
    return { road_id: road.id, road_code: code.toUpperCase(), name: road.name, stake: `K${Number(km)}+${metres.split('.')[0].padStart(3, '0')}`, stake_m: stakeM, lon: rows[0].lon, lat: rows[0].lat };
  });
}
