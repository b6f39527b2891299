import type { Db } from '../db/index.js';
import { createHash } from 'node:crypto';
import type { CollectionDef } from '../collections/registry.js';
import { buildWhere, type ListQuery } from '../collections/repository.js';
import { tileStatements, CLUSTER_MAX_ZOOM } from './sql.js';
import { encodeLayer } from './encode.js';

/**
 * One tile of one collection, or undefined when it holds no feature. Real PostGIS encodes with
 * ST_AsMVT; the embedded engine (built without protobuf-c) selects the same tile-space geometry
 * and encodes in TypeScript. test/db/tiles.test.ts decodes both and compares them.
 */
export type Encoder = 'postgis' | 'typescript';

/** The map's filters, as for items: datetime and enumerated properties. */
export type TileFilter = Pick<ListQuery, 'datetime' | 'filters'>;

/** The statements (one per encoder), parameters and prepared-statement name of one tile. */
export function tileQuery(c: CollectionDef, z: number, x: number, y: number, filter: TileFilter = {}): { mvt: string; geometries: string; params: unknown[]; name: string } {
  const { where, params } = buildWhere(c, filter, 3);
  const all = tileStatements(c, where);
  const clustered = all.clusters && z <= CLUSTER_MAX_ZOOM;
  // Unfiltered clusters come from the kept cell counts (migration 017); filtered ones read the points.
  const fromCells = clustered && params.length === 0 && all.clusterCells !== undefined;
  const s = fromCells ? all.clusterCells! : clustered ? all.clusters! : all.points ?? all;
  if (fromCells) params.push(c.table);
  // One prepared statement per collection, kind and filter shape.
  const kind = fromCells ? 'k' : clustered ? 'c' : all.points ? 'p' : 'f';
  const name = `tile_${c.id}_${kind}_${createHash('sha1').update(where).digest('hex').slice(0, 10)}`;
  return { mvt: s.mvt, geometries: s.geometries, params: [z, x, y, ...params], name };
}

export async function renderTile(
  db: Db, c: CollectionDef, z: number, x: number, y: number,
  filter: TileFilter = {},
  // The TypeScript encoder also runs on real PostGIS, which is how the tests compare the two.
  encoder: Encoder = db.engine === 'postgres' ? 'postgis' : 'typescript',
): Promise<Uint8Array | undefined> {
  const q = tileQuery(c, z, x, y, filter);
  if (encoder === 'postgis') {
    // On the connections kept for tiles (parallel workers off, JIT off, more work_mem: db/postgres.ts).
    const { rows } = await db.query<{ tile: Buffer }>(q.mvt, q.params, { name: q.name, purpose: 'tiles' });
    const tile = rows[0]?.tile;
    return tile && tile.length ? new Uint8Array(tile.buffer, tile.byteOffset, tile.length) : undefined;
  }
  const { rows } = await db.query<{ id: number; geom: string }>(q.geometries, q.params);
  return encodeLayer(c.id, rows);
}
