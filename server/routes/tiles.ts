/**
 * Vector tiles: /api/tiles/{collection}/{z}/{x}/{y}.mvt, one MVT layer named after the collection,
 * feature id = the feature's id, properties as tags, extent 4096, buffer 64. Rendered tiles are
 * kept in memory (TileCache) until their collection changes, so a write shows on the next
 * request; an ETag lets browsers revalidate cheaply.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/index.js';
import { invalidParameter } from '../errors.js';
import { renderTile } from '../tiles/tiles.js';
import { tileProperties } from '../tiles/sql.js';
import { FeatureRepository } from '../collections/repository.js';
import { collectionOr404, baseUrl, FilterQuery, FILTER_NAMES } from './features.js';
import { parseFeatureFilters } from './params.js';
import type { TileCache } from '../tiles/cache.js';
import { CLUSTER_MAX_ZOOM, clusterStyle } from '../tiles/sql.js';

export const MAX_ZOOM = 22;
const MVT = 'application/vnd.mapbox-vector-tile';

function tileNumber(name: string, raw: string, max: number): number {
  const n = /^\d{1,8}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n > max) throw invalidParameter(name, `must be a whole number from 0 to ${max}, got ${JSON.stringify(raw.slice(0, 20))}`);
  return n;
}

const fieldType = { text: 'String', enum: 'String', date: 'String', datetime: 'String', number: 'Number', integer: 'Number', ids: 'String' } as const;

export async function tileRoutes(fastify: FastifyInstance, opts: { db: Db; tileCache: TileCache }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, tileCache } = opts;
  // Renders under way, by generation and tile: requests for a tile that is being rendered wait
  // for that render instead of starting their own. After a write empties the cache, every map
  // asks for the same low-zoom tiles at once; rendering each once keeps the slowest answers short.
  // The generation is part of the key, so a request made after a write never gets a render that
  // started before it.
  const rendering = new Map<string, Promise<Uint8Array | undefined>>();

  app.get('/api/tiles/:collectionId/:z/:x/:y.mvt', {
    schema: {
      tags: ['tiles'],
      params: Type.Object({ collectionId: Type.String({ maxLength: 100 }), z: Type.String(), x: Type.String(), y: Type.String() }),
      // The map's filters, as for items; `v` is free for clients to bust their own caches after a write.
      querystring: Type.Object({ ...FilterQuery, v: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const c = collectionOr404(req.params.collectionId);
    const z = tileNumber('z', req.params.z, MAX_ZOOM);
    const x = tileNumber('x', req.params.x, 2 ** z - 1);
    const y = tileNumber('y', req.params.y, 2 ** z - 1);
    const filter = parseFeatureFilters(c, req.query, FILTER_NAMES);
    const key = `${c.id}|${z}/${x}/${y}|${JSON.stringify(filter)}`;
    const cached = tileCache.get(key);
    let tile: Uint8Array | undefined;
    if (cached === undefined) {
      const generation = tileCache.generation(c.id);
      const flight = `${generation}|${key}`;
      let render = rendering.get(flight);
      if (!render) {
        render = renderTile(db, c, z, x, y, filter).finally(() => rendering.delete(flight));
        rendering.set(flight, render);
        render.then((t) => tileCache.set(c.id, generation, key, t), () => {});
      }
      tile = await render;
    } else tile = cached ?? undefined;
    // Browsers keep the tile but ask again each time (no-cache): an edit is never hidden by a cache.
    reply.header('Cache-Control', 'no-cache');
    if (!tile) return reply.code(204).send();
    const etag = `"${createHash('sha1').update(tile).digest('base64url')}"`;
    reply.header('ETag', etag);
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(MVT).send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  });

  app.get('/api/tiles/:collectionId.json', {
    schema: { tags: ['tiles'], params: Type.Object({ collectionId: Type.String({ maxLength: 100 }) }) },
  }, async (req) => {
    const c = collectionOr404(req.params.collectionId);
    const base = baseUrl(req);
    const { bbox } = await new FeatureRepository(c).extent(db);
    const bounds = bbox ?? [-180, -85.0511, 180, 85.0511];
    return {
      tilejson: '3.0.0',
      name: c.id,
      description: `${c.title.zh} / ${c.title.en}`,
      scheme: 'xyz',
      tiles: [`${base}/api/tiles/${c.id}/{z}/{x}/{y}.mvt`],
      minzoom: 0,
      maxzoom: MAX_ZOOM,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 12],
      vector_layers: [{
        id: c.id,
        description: c.title.en,
        minzoom: 0,
        maxzoom: MAX_ZOOM,
        fields: {
          ...Object.fromEntries(tileProperties(c).map((p) => [p.name, fieldType[p.type]])),
          ...(clusterStyle(c) ? { point_count: `Number: points in a cluster (tiles up to z${CLUSTER_MAX_ZOOM} hold clusters)` } : {}),
        },
      }],
    };
  });
}
