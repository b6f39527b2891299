/**
 * `npm run bench:import`: file import rate and the server's memory. Makes the same garbage points
 * as a UTF-8 CSV (lon/lat), a GBK Shapefile in CGCS2000 Gauss-Krüger zone 39 (over 50 MB
 * unzipped at 200,000 rows) and a GeoJSON FeatureCollection, each at a quarter of BENCH_ROWS and
 * at BENCH_ROWS. For each format a fresh server process (embedded engine, and real PostGIS in a
 * scratch database when DATABASE_URL is set) imports the small file, then the large one; its
 * peak resident memory (VmHWM from /proc) after each says whether memory grows with the file
 * (it should not: uploads stream to disk and are read back in batches). Prints rows/s and the
 * peaks; asserts nothing.
 *
 *   BENCH_ENGINES=embedded,postgres   which engines (default: embedded, plus postgres with DATABASE_URL)
 *   BENCH_ROWS=200000                 rows of the large files
 *   BENCH_HEAP_MB=160                 cap the server's V8 heap (--max-old-space-size): the large
 *                                     files must still import, memory being bounded by the batch
 *   BENCH_FORMATS=CSV,Shapefile,GeoJSON
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { startServer } from '../lib/server-process.js';
import { benchStore } from '../lib/scratch-db.js';
import { writeShp, writeDbf, dbfNames, type DbfField } from '../../server/formats/shapefile-write.js';
import { esriWkt, crsOfEpsg, fromWgs84 } from '../../server/formats/crs.js';
import { postgresCpu, processCpu } from './cpu.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const engines = (process.env.BENCH_ENGINES ?? (process.env.DATABASE_URL ? 'embedded,postgres' : 'embedded')).split(',');

type Row = { lon: number; lat: number; category: string; status: string; volume: number; village: string; road: string; reported: string; description: string };

function points(ROWS: number): Row[] {
  const out = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const categories = ['生活垃圾', '建筑垃圾', '秸秆柴草', '大件垃圾', '混合'];
  const statuses = ['reported', 'assigned', 'cleared', 'verified'];
  for (let i = 0; i < ROWS; i++) {
    out.push({
      lon: 116.6 + rnd() * 0.8, lat: 32.6 + rnd() * 0.6,
      category: categories[i % 5], status: statuses[i % 4], volume: Math.round(rnd() * 1000) / 100,
      village: ['包集镇包集村', '包集镇石山村', '包集镇尤村村', '包集镇沈郢村', '包集镇后唐村'][i % 5], road: ['S225', 'S307', 'G206', 'X043', '包王路'][i % 5], reported: `2026${String(1 + (i % 12)).padStart(2, '0')}15`,
      description: `第${i}号点位，位于某村某组道路旁，群众反映堆放时间较长，需尽快清运并做好保洁，巡查员已拍照留存（编号 ${i}）。清运后由村两委复核，镇创建办抽查，结果计入本月考核。`,
    });
  }
  return out;
}

function csvFile(ps: Row[]): Buffer {
  const lines = ['category,status,volume_t,description,lon,lat'];
  for (const p of ps) lines.push(`${p.category},${p.status},${p.volume},${p.description},${p.lon.toFixed(7)},${p.lat.toFixed(7)}`);
  return Buffer.from(lines.join('\n'));
}

function shapefileZip(ps: Row[]): Buffer {
  const crs = crsOfEpsg(4527)!;
  const t = fromWgs84(crs);
  const { shp, shx } = writeShp('Point', ps.map((p) => ({ type: 'Point', coordinates: t([p.lon, p.lat]) })));
  const fields: DbfField[] = [{ property: 'category', type: 'C' }, { property: 'status', type: 'C' }, { property: 'volume_t', type: 'N', decimals: 2 }, { property: 'village', type: 'C' }, { property: 'road', type: 'C' }, { property: 'reported_at', type: 'D' }, { property: 'description', type: 'C' }];
  const dbf = writeDbf(fields, dbfNames(fields.map((f) => f.property)), ps.map((p) => ({ category: p.category, status: p.status, volume_t: p.volume, village: p.village, road: p.road, reported_at: `${p.reported.slice(0, 4)}-${p.reported.slice(4, 6)}-${p.reported.slice(6)}`, description: p.description })), 'gbk');
  const files = { 'points.shp': shp, 'points.shx': shx, 'points.dbf': dbf, 'points.prj': Buffer.from(esriWkt(crs)), 'points.cpg': Buffer.from('GBK') };
  console.log(`shapefile of ${ps.length} rows: ${((shp.length + shx.length + dbf.length) / 1024 / 1024).toFixed(1)} MB unzipped`);
  return Buffer.from(zipSync(files, { level: 1 }));
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function geojsonFile(ps: Row[]): Buffer {
  return Buffer.from(JSON.stringify({
    type: 'FeatureCollection',
    features: ps.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { category: p.category, status: p.status, volume_t: p.volume, description: p.description } })),
  }));
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`making ${ROWS / 4} and ${ROWS} rows …`);
const sizes = [points(ROWS / 4), points(ROWS)];
type Upload = { name: string; type: string; query: string; bodies: Buffer[] };
const uploads: Upload[] = [
  { name: 'CSV', type: 'text/csv', query: '', bodies: sizes.map(csvFile) },
  { name: 'Shapefile', type: 'application/zip', query: '?mapping=' + encodeURIComponent('{"description":"descriptio","reported_at":"reported_a"}'), bodies: sizes.map(shapefileZip) },
  { name: 'GeoJSON', type: 'application/geo+json', query: '', bodies: sizes.map(geojsonFile) },
];
for (const u of uploads) console.log(`${u.name}: ${u.bodies.map((b) => mb(b.length)).join(' and ')}`);

const formats = (process.env.BENCH_FORMATS ?? 'CSV,Shapefile,GeoJSON').split(',');
const heap = process.env.BENCH_HEAP_MB ? { NODE_OPTIONS: `--max-old-space-size=${Number(process.env.BENCH_HEAP_MB)}` } : {};
if (heap.NODE_OPTIONS) console.log(`server started with ${heap.NODE_OPTIONS}`);
for (const engine of engines) {
  for (const u of uploads.filter((x) => formats.includes(x.name))) {
    const { env, drop } = await benchStore(engine, 'bench_import');
    const server = await startServer({ ...env, ...heap, SEED_DEMO: '0', IMPORT_MAX_MB: '512', IMPORT_MAX_FEATURES: String(ROWS) }, 300_000);
    try {
      await server.authHeaders();
      const idle = peakRss(server.proc.pid!);
      const database = env.DATABASE_URL ? new URL(env.DATABASE_URL).pathname.slice(1) : undefined;
      const cpu = () => ({ server: processCpu(server.proc.pid!), postgres: database ? postgresCpu(database) : 0 });
      for (const body of u.bodies) {
        const before = cpu();
        const started = performance.now();
        const r = await server.authFetch(`/api/import/garbage_points${u.query}`, { method: 'POST', headers: { 'content-type': u.type }, body: new Uint8Array(body) });
        const s = (performance.now() - started) / 1000;
        const text = await r.text();
        if (r.status !== 201) throw new Error(`${u.name}: ${r.status} ${text.slice(0, 300)}`);
        const imported = JSON.parse(text).imported as number;
        const after = cpu();
        const split = `CPU s: server ${(after.server - before.server).toFixed(1)}${database ? `, PostgreSQL ${(after.postgres - before.postgres).toFixed(1)}` : ''}`;
        console.log(`${engine.padEnd(8)} ${u.name.padEnd(9)} ${String(imported).padStart(6)} rows (${mb(body.length).padStart(8)}) in ${s.toFixed(1).padStart(4)} s = ${String(Math.round(imported / s)).padStart(5)} rows/s (${split}); server peak RSS ${Math.round(peakRss(server.proc.pid!))} MB (${Math.round(idle)} MB idle)`);
      }
    } finally {
      await server.stop();
      await drop();
    }
  }
}
