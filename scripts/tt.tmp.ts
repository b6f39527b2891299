import pg from 'pg';
import { roads, tileList } from './bench/county.js';
import { findCollection } from '../server/collections/registry.js';
import { tileStatements } from '../server/tiles/sql.js';
const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/remap_test_bench', max: 1 });
await pool.query('SET max_parallel_workers_per_gather = 0');
const tiles = tileList(roads()).filter(t => t[0] === 12);
const st = tileStatements(findCollection('garbage_points')!);
let worst = tiles[0], w = 0;
for (const t of tiles) { const t0 = performance.now(); await pool.query(st.mvt, t); const d = performance.now() - t0; if (d > w) { w = d; worst = t; } }
console.log(worst, w);
console.log(st.mvt);
const r = await pool.query('EXPLAIN (ANALYZE, BUFFERS) ' + st.mvt.replace(/\$1/g, String(worst[0])).replace(/\$2/g, String(worst[1])).replace(/\$3/g, String(worst[2])));
console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
await pool.end();
