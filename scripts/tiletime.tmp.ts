import pg from 'pg';
import { roads, tileList } from '/work/main/scripts/bench/county.js';
import { findCollection } from '/work/main/server/collections/registry.js';
import { tileStatements } from '/work/main/server/tiles/sql.js';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/remap_test_bench', max: 1 });
await pool.query('SET max_parallel_workers_per_gather = 0'); if (process.env.JITOFF) await pool.query('SET jit = off');
const tiles = tileList(roads());
const byZ: Record<string, number[]> = {};
for (const id of ['roads', 'demolition_sites', 'garbage_points']) {
  const st = tileStatements(findCollection(id)!);
  for (const [z, x, y] of tiles) {
    const sql = z <= 11 && st.clusters ? st.clusters.mvt : st.mvt;
    const t0 = performance.now();
    await pool.query(sql, [z, x, y]);
    const ms = performance.now() - t0;
    (byZ[`${id} z${z}`] ??= []).push(ms);
  }
}
for (const [k, v] of Object.entries(byZ)) console.log(k, 'sum', v.reduce((a, b) => a + b, 0).toFixed(0), 'max', Math.max(...v).toFixed(1));
await pool.end();
