/**
 * `npm run bench:import`: file import rate and the server's memory. Makes a 200,000-row CSV of
 * garbage points (lon/lat, UTF-8) and a ~50 MB zipped Shapefile of 200,000 points in CGCS2000
 * Gauss-Krüger zone 39 with GBK attributes, starts the server as a real process on 127.0.0.1
 * (embedded engine, and real PostGIS in a scratch database when DATABASE_URL is set), uploads each
 * file once and prints rows/s and the server's peak resident memory (VmHWM from /proc).
 * Asserts nothing.
 *
 *   BENCH_ENGINES=embedded,postgres   which engines (default: embedded, plus postgres with DATABASE_URL)
 *   BENCH_ROWS=200000                 rows per file
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { startServer } from '../lib/server-process.js';
import { createScratchDb } from '../lib/scratch-db.js';
import { writeShp, writeDbf, dbfNames, type DbfField } from '../../server/formats/shapefile-write.js';
import { esriWkt, crsOfEpsg, fromWgs84 } from '../../server/formats/crs.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const engines = (process.env.BENCH_ENGINES ?? (process.env.DATABASE_URL ? 'embedded,postgres' : 'embedded')).split(',');

function points(): { lon: number; lat: number; category: string; status: string; volume: number; description: string }[] {
  const out = [];
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const categories = ['生活垃圾', '建筑垃圾', '秸秆柴草', '大件垃圾', '混合'];
  const statuses = ['reported', 'assigned', 'cleared', 'verified'];
  for (let i = 0; i < ROWS; i++) {
    out.push({
      lon: 116.6 + rnd() * 0.8, lat: 32.6 + rnd() * 0.6,
      category: categories[i % 5], status: statuses[i % 4], volume: Math.round(rnd() * 1000) / 100,
      description: `第${i}号点位，位于某村某组道路旁，群众反映堆放时间较长，需尽快清运并做好保洁，巡查员已拍照留存（编号 ${i}）。清运后由村两委复核，镇创建办抽查，结果计入本月考核。`,
    });
  }
  return out;
}

function csvFile(ps: ReturnType<typeof points>): Buffer {
  const lines = ['category,status,volume_t,description,lon,lat'];
  for (const p of ps) lines.push(`${p.category},${p.status},${p.volume},${p.description},${p.lon.toFixed(7)},${p.lat.toFixed(7)}`);
  return Buffer.from(lines.join('\n'));
}

function shapefileZip(ps: ReturnType<typeof points>): Buffer {
  const crs = crsOfEpsg(4527)!;
  const t = fromWgs84(crs);
  const { shp, shx } = writeShp('Point', ps.map((p) => ({ type: 'Point', coordinates: t([p.lon, p.lat]) })));
  const fields: DbfField[] = [{ property: 'category', type: 'C' }, { property: 'status', type: 'C' }, { property: 'volume_t', type: 'N', decimals: 2 }, { property: 'description', type: 'C' }];
  const dbf = writeDbf(fields, dbfNames(fields.map((f) => f.property)), ps.map((p) => ({ category: p.category, status: p.status, volume_t: p.volume, description: p.description })), 'gbk');
  const files = { 'points.shp': shp, 'points.shx': shx, 'points.dbf': dbf, 'points.prj': Buffer.from(esriWkt(crs)), 'points.cpg': Buffer.from('GBK') };
  console.log(`shapefile: ${((shp.length + shx.length + dbf.length) / 1024 / 1024).toFixed(1)} MB unzipped`);
  return Buffer.from(zipSync(files, { level: 1 }));
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

console.log(`making ${ROWS} rows …`);
const ps = points();
const csv = csvFile(ps);
const shp = shapefileZip(ps);
console.log(`CSV ${(csv.length / 1024 / 1024).toFixed(1)} MB, Shapefile zip ${(shp.length / 1024 / 1024).toFixed(1)} MB`);

for (const engine of engines) {
  let env: Record<string, string>;
  let drop = async () => {};
  if (engine === 'postgres') {
    if (!process.env.DATABASE_URL) throw new Error('BENCH_ENGINES=postgres needs DATABASE_URL');
    const scratch = await createScratchDb(process.env.DATABASE_URL, 'bench_import');
    env = { DATABASE_URL: scratch.url };
    drop = scratch.drop;
  } else {
    env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'remap-bench-import-')) };
  }
  const server = await startServer({ ...env, SEED_DEMO: '0', IMPORT_MAX_MB: '512' }, 300_000);
  try {
    await server.authHeaders();
    const base = peakRss(server.proc.pid!);
    for (const [name, body, type, query] of [['CSV', csv, 'text/csv', ''], ['Shapefile', shp, 'application/zip', '?mapping=' + encodeURIComponent('{"description":"descriptio"}')]] as const) {
      const started = performance.now();
      const r = await server.authFetch(`/api/import/garbage_points${query}`, { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) });
      const s = (performance.now() - started) / 1000;
      const text = await r.text();
      if (r.status !== 201) throw new Error(`${name}: ${r.status} ${text.slice(0, 300)}`);
      const imported = JSON.parse(text).imported as number;
      console.log(`${engine.padEnd(8)} ${name.padEnd(9)} ${imported} rows in ${s.toFixed(1)} s = ${Math.round(imported / s)} rows/s; server peak RSS ${Math.round(peakRss(server.proc.pid!))} MB (${Math.round(base)} MB before)`);
    }
  } finally {
    await server.stop();
    await drop();
  }
}
