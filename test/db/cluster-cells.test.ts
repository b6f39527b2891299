/**
 * Unfiltered cluster tiles come from the counts in cluster_cells (migration 017), which statement
 * triggers keep in step with every write. After inserts, status changes, moves, edits that touch
 * neither, deletes and a TRUNCATE, each tile from the kept counts must equal the tile computed
 * from the points themselves (tiles/clusters.sql): the same clusters, ids, counts and style
 * values, at the same place to within one tile unit (the kept positions are rounded to 0.15 m).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import type { Db } from '../../server/db/index.js';
import { COLLECTIONS, findCollection } from '../../server/collections/registry.js';
import { prepareFeatures } from '../../server/collections/features.js';
import { FeatureRepository } from '../../server/collections/repository.js';
import { renderTile } from '../../server/tiles/tiles.js';
import { CLUSTER_MAX_ZOOM, clusterStyle } from '../../server/tiles/sql.js';
import { testDb, resetData } from '../helpers/db.js';
import { decodeTile, tileOf, type DecodedFeature } from '../helpers/mvt.js';

let db: Db;
const garbage = findCollection('garbage_points')!;
const STATUSES = ['reported', 'assigned', 'cleared', 'verified'];

// A small seeded generator: the same points on every run and engine.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function insertPoints(n: number, random: () => number) {
  const features = Array.from({ length: n }, () => ({
    type: 'Feature',
    // Clumped around three spots, with some spread: cells hold one point or many.
    geometry: { type: 'Point', coordinates: (() => {
      const spot = [[117.05, 32.85], [117.2, 32.95], [117.38, 33.08]][Math.floor(random() * 3)];
      const r = random() < 0.3 ? 0.002 : 0.06;
      return [+(spot[0] + (random() - 0.5) * r).toFixed(6), +(spot[1] + (random() - 0.5) * r).toFixed(6)];
    })() },
    properties: { category: 'domestic', status: STATUSES[Math.floor(random() * 4)] },
  }));
  const p = await prepareFeatures(db, garbage, features, 'import');
  expect(p.rejected).toEqual([]);
  await new FeatureRepository(garbage).insertMany(db, p.accepted.map((a) => a.feature));
}

/** Every tile at every cluster zoom that holds a point of the region. */
function tiles(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let z = 0; z <= CLUSTER_MAX_ZOOM; z++) {
    const [x0, y0] = tileOf(117.0, 33.15, z);
    const [x1, y1] = tileOf(117.45, 32.8, z);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([z, x, y]);
  }
  return out;
}

const key = (f: DecodedFeature) => Number(f.id);

async function features(z: number, x: number, y: number, fromCells: boolean): Promise<DecodedFeature[]> {
  // Naming every status is the same set of points, but a filter makes the tile read the points.
  const tile = await renderTile(db, garbage, z, x, y, fromCells ? {} : { filters: { status: STATUSES } });
  return tile ? decodeTile(tile).garbage_points.features.sort((a, b) => key(a) - key(b)) : [];
}

async function expectSameTiles() {
  let compared = 0;
  for (const [z, x, y] of tiles()) {
    const [kept, live] = await Promise.all([features(z, x, y, true), features(z, x, y, false)]);
    expect(kept.map((f) => [f.id, f.properties.point_count, f.properties.status]), `tile ${z}/${x}/${y}`)
      .toEqual(live.map((f) => [f.id, f.properties.point_count, f.properties.status]));
    kept.forEach((f, i) => {
      expect(Math.abs(f.rings[0][0].x - live[i].rings[0][0].x), `x of cluster ${f.id} in ${z}/${x}/${y}`).toBeLessThanOrEqual(1);
      expect(Math.abs(f.rings[0][0].y - live[i].rings[0][0].y), `y of cluster ${f.id} in ${z}/${x}/${y}`).toBeLessThanOrEqual(1);
    });
    compared += kept.length;
  }
  return compared;
}

async function pointCount(): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM garbage_points');
  return rows[0].n;
}

async function keptCount(z: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT coalesce(sum(n), 0)::int AS n FROM cluster_cells WHERE layer = 'garbage_points' AND z = $1", [z]);
  return rows[0].n;
}

beforeAll(async () => {
  db = await testDb();
  await resetData(db);
  await insertPoints(1500, rng(7));
});

describe('cluster tiles from kept cell counts', () => {
  it('every clustered point layer of the registry keeps cell counts, by its style column', async () => {
    const { rows } = await db.query<{ layer: string }>(
      "SELECT DISTINCT c.relname AS layer FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%\\_cells\\_inserted' ORDER BY 1");
    const clustered = COLLECTIONS.filter((c) => clusterStyle(c)).map((c) => c.table).sort();
    expect(rows.map((r) => r.layer)).toEqual(clustered);
  });

  it('match the tiles computed from the points after an import', async () => {
    expect(await keptCount(0)).toBe(await pointCount());
    expect(await keptCount(CLUSTER_MAX_ZOOM)).toBe(1500);
    expect(await expectSameTiles()).toBeGreaterThan(100);
  });

  it('stay equal through status changes, moves, edits, deletes of smallest ids and new points', async () => {
    const random = rng(11);
    const { rows } = await db.query<{ id: number }>('SELECT id FROM garbage_points ORDER BY id');
    const ids = rows.map((r) => Number(r.id));
    // A statement touching many rows at once, as an import or a bulk edit does.
    await db.query("UPDATE garbage_points SET status = 'cleared', cleared_at = reported_at WHERE id % 7 = 0 AND status <> 'cleared'");
    for (let i = 0; i < 40; i++) {
      const id = ids[Math.floor(random() * ids.length)];
      const op = i % 4;
      if (op === 0) await db.query('UPDATE garbage_points SET status = $2 WHERE id = $1', [id, STATUSES[Math.floor(random() * 4)]]);
      if (op === 1) await db.query('UPDATE garbage_points SET geom = ST_Translate(geom, $2, $3) WHERE id = $1', [id, (random() - 0.5) * 0.05, (random() - 0.5) * 0.05]);
      if (op === 2) await db.query("UPDATE garbage_points SET description = 'moved nothing' WHERE id = $1", [id]);
      if (op === 3) await db.query('DELETE FROM garbage_points WHERE id = $1', [id]);
    }
    // The smallest ids are the clusters' feature ids: delete them so the cells must look again.
    await db.query('DELETE FROM garbage_points WHERE id IN (SELECT id FROM garbage_points ORDER BY id LIMIT 25)');
    await insertPoints(200, random);
    const { rows: unknown } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cluster_cells WHERE id_min IS NULL');
    expect(unknown[0].n).toBe(0);
    expect(await keptCount(5)).toBe(await pointCount());
    expect(await expectSameTiles()).toBeGreaterThan(100);
  });

  it('one transaction of many statements (an import in batches, with some rows taken back) merges once, exactly', async () => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) {
        await tx.query(`INSERT INTO garbage_points (category, status, geom)
          SELECT 'domestic', (ARRAY['reported','assigned','cleared','verified'])[1 + g % 4], ST_SetSRID(ST_MakePoint(117.1 + g * 0.0007, 32.9 + $1 * 0.01), 4326)
          FROM generate_series(1, 100) g`, [i]);
      }
      // Nothing merged before COMMIT: readers see the counts as they were.
      const { rows } = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM cluster_cells_pending");
      expect(rows[0].n).toBeGreaterThan(0);
      // Taken back in the same transaction: the smallest new ids of a few cells, and a status change.
      await tx.query('DELETE FROM garbage_points WHERE id IN (SELECT id FROM garbage_points ORDER BY id DESC LIMIT 30)');
      await tx.query("UPDATE garbage_points SET status = 'verified' WHERE id IN (SELECT id FROM garbage_points ORDER BY id DESC LIMIT 40)");
    });
    const { rows: left } = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM cluster_cells_pending) + (SELECT count(*) FROM cluster_cells_dirty) AS n');
    expect(Number(left[0].n)).toBe(0);
    expect(await keptCount(7)).toBe(await pointCount());
    expect(await expectSameTiles()).toBeGreaterThan(100);
  });

  it('a write that is rolled back leaves the counts as they were', async () => {
    const before = await keptCount(3);
    await expect(db.transaction(async (tx) => {
      await tx.query('DELETE FROM garbage_points WHERE id IN (SELECT id FROM garbage_points LIMIT 100)');
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await keptCount(3)).toBe(before);
  });

  it('an unfiltered cluster tile reads the cells by primary key, not the points', async () => {
    const [x, y] = tileOf(117.2, 32.95, 10);
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT count(*) FROM cluster_cells WHERE layer = 'garbage_points' AND z = 10
       AND cx BETWEEN ${x * 32} AND ${x * 32 + 31} AND cy BETWEEN ${y * 32} AND ${y * 32 + 31}`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index (Only )?Scan using cluster_cells_pkey/);
  });

  it('TRUNCATE empties the layer\'s cells', async () => {
    await db.query('TRUNCATE garbage_points CASCADE');
    expect(await keptCount(0)).toBe(0);
    const [x, y] = tileOf(117.2, 32.95, 8);
    expect(await renderTile(db, garbage, 8, x, y)).toBeUndefined();
  });
});
