/**
 * `npm run bench:load`: the server under a steady mixed load, as several users at once would put
 * on it. Real PostgreSQL + PostGIS only (DATABASE_URL; a scratch database next to it, dropped
 * after), loaded with the county set of scripts/bench/county.ts, then BENCH_CONNECTIONS clients
 * on loopback each issue one request after another for BENCH_SECONDS:
 *
 *   70 % tiles        a tile of the fixed county list (z10–z16), one of three layers
 *   15 % items        100 features of a bbox around one of those tiles
 *   10 % analysis     setback or corridor month for one road; every 10th: setback for all roads
 *    5 % import       100 new garbage points (a write: the garbage_points tiles are re-rendered)
 *
 * Each client has one request in flight at a time, so fetch's keep-alive pool holds at most
 * BENCH_CONNECTIONS sockets.
 * Prints per kind: requests, throughput, p50/p99 latency, errors; writes bench-results/load-*.json.
 * Bounded in time (the run, plus at most 30 s for requests in flight) and in count (one load).
 * Target to report against: zero errors, p99 tile < 100 ms at 8 connections on two cores.
 *
 *   BENCH_SECONDS=60       how long the load runs
 *   BENCH_CONNECTIONS=8    clients at once
 *   BENCH_MIX=tile=70,items=15,analysis=10,import=5   the shares (tile=1: tiles alone)
 *   BENCH_KEEP=1           keep the scratch database
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../lib/server-process.js';
import { createScratchDb } from '../lib/scratch-db.js';
import { roads, demolitionSites, garbagePoints, tileList, rng, COUNTY } from './county.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
if (!process.env.DATABASE_URL) {
  console.error('bench:load: set DATABASE_URL to a PostgreSQL with PostGIS (a scratch database is made next to it and dropped after)');
  process.exit(1);
}
if (!(seconds > 0 && seconds <= 3600) || !(Number.isInteger(connections) && connections > 0 && connections <= 256)) {
  console.error('bench:load: BENCH_SECONDS must be 1–3600 and BENCH_CONNECTIONS a whole number 1–256');
  process.exit(1);
}

type Kind = 'tile' | 'items' | 'analysis' | 'import';
const KINDS: Kind[] = ['tile', 'items', 'analysis', 'import'];

/** BENCH_MIX=tile=70,items=15,analysis=10,import=5 (weights, normalised); e.g. tile=1 for tiles alone. */
function readMix(raw = 'tile=70,items=15,analysis=10,import=5'): [Kind, number][] {
  const pairs = raw.split(',').map((p) => p.split('=') as [Kind, string]);
  if (pairs.some(([k, w]) => !KINDS.includes(k) || !(Number(w) >= 0))) {
    console.error(`bench:load: BENCH_MIX=${raw} is not valid: use kind=weight pairs of ${KINDS.join(', ')}, e.g. tile=70,items=15,analysis=10,import=5`);
    process.exit(1);
  }
  const total = pairs.reduce((s, [, w]) => s + Number(w), 0);
  return KINDS.map((k) => [k, Number(pairs.find(([p]) => p === k)?.[1] ?? 0) / total]);
}
const MIX = readMix(process.env.BENCH_MIX || undefined);
const REQUEST_TIMEOUT_MS = 30_000;

console.log('making the county data set …');
const roadList = roads();
const sites = demolitionSites(roadList);
const garbage = garbagePoints(roadList);
const tiles = tileList(roadList);
const layers = ['roads', 'demolition_sites', 'garbage_points'];

function tileBbox(z: number, x: number, y: number): string {
  const n = 2 ** z;
  const lon = (t: number) => (t / n) * 360 - 180;
  const lat = (t: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * t) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)].map((v) => v.toFixed(6)).join(',');
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function importAll(url: string, auth: Record<string, string>, collection: string, features: unknown[]): Promise<void> {
  for (let i = 0; i < features.length; i += 50_000) {
    const body = JSON.stringify({ type: 'FeatureCollection', features: features.slice(i, i + 50_000) });
    const r = await fetch(`${url}/api/import/${collection}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
    if (r.status !== 201) throw new Error(`loading ${collection}: ${r.status} ${(await r.text()).slice(0, 300)}`);
  }
}

/** One request of the given kind: method, path and body, drawn with the client's own generator. */
function nextRequest(kind: Kind, r: () => number): { path: string; init?: RequestInit; ok: number[] } {
  const [z, x, y] = tiles[Math.floor(r() * tiles.length)];
  switch (kind) {
    case 'tile':
      return { path: `/api/tiles/${layers[Math.floor(r() * layers.length)]}/${z}/${x}/${y}.mvt`, ok: [200, 204] };
    case 'items':
      return { path: `/api/collections/${layers[Math.floor(r() * layers.length)]}/items?limit=100&bbox=${tileBbox(Math.max(z, 13), ...zoomTo(z, x, y, Math.max(z, 13)))}`, ok: [200] };
    case 'analysis': {
      const road = `B${Math.floor(r() * roadList.length)}`;
      const pick = r();
      const path = pick < 0.1 ? '/api/analysis/setback' : pick < 0.55 ? `/api/analysis/setback?roads=${road}` : `/api/analysis/corridor?month=2026-10&roads=${road}`;
      return { path, ok: [200] };
    }
    case 'import': {
      const lon = COUNTY.west + r() * (COUNTY.east - COUNTY.west);
      const lat = COUNTY.south + r() * (COUNTY.north - COUNTY.south);
      const features = Array.from({ length: 100 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [+(lon + (i % 10) * 1e-4).toFixed(7), +(lat + Math.floor(i / 10) * 1e-4).toFixed(7)] }, properties: { category: 'mixed', volume_t: 1 } }));
      return { path: '/api/import/garbage_points', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'FeatureCollection', features }) }, ok: [201] };
    }
  }
}

/** The tile at zoom `to` under the top-left quarter of (z, x, y) when zooming in. */
function zoomTo(z: number, x: number, y: number, to: number): [number, number] {
  const f = 2 ** (to - z);
  return [x * f, y * f];
}

interface Stats {
  latencies: number[];
  errors: number;
  firstErrors: string[];
}

async function run(url: string, auth: Record<string, string>): Promise<Record<Kind, Stats>> {
  const stats = Object.fromEntries(MIX.map(([k]) => [k, { latencies: [], errors: 0, firstErrors: [] }])) as unknown as Record<Kind, Stats>;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, client) => {
    const r = rng(100 + client);
    while (performance.now() < until) {
      let u = r();
      const kind = MIX.find(([, w]) => (u -= w) < 0)?.[0] ?? 'tile';
      const req = nextRequest(kind, r);
      const s = stats[kind];
      const t = performance.now();
      try {
        // Every request carries the admin's API token, as a script or GIS client would (one
        // token lookup per request, like a browser's session cookie).
        const res = await fetch(url + req.path, { ...req.init, headers: { ...(req.init?.headers as Record<string, string> | undefined), ...auth }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await res.arrayBuffer();
        if (!req.ok.includes(res.status)) throw new Error(`${res.status} ${req.path}`);
        s.latencies.push(performance.now() - t);
      } catch (e) {
        s.errors++;
        if (s.firstErrors.length < 3) s.firstErrors.push((e as Error).message);
      }
    }
  }));
  return stats;
}

const scratch = await createScratchDb(process.env.DATABASE_URL, 'load');
const server = await startServer({ DATABASE_URL: scratch.url, SEED_DEMO: '0', IMPORT_MAX_MB: '512' }, 300_000);
let results: Record<string, unknown> = {};
try {
  const auth = await server.authHeaders();
  const loadStarted = performance.now();
  await importAll(server.url, auth, 'roads', roadList);
  await importAll(server.url, auth, 'demolition_sites', sites);
  await importAll(server.url, auth, 'garbage_points', garbage);
  console.log(`loaded ${roadList.length} roads, ${sites.length} demolition sites, ${garbage.length} garbage points in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
  console.log(`running ${connections} connections for ${seconds} s …`);
  const started = performance.now();
  const stats = await run(server.url, auth);
  const elapsed = (performance.now() - started) / 1000;
  const rows = MIX.filter(([, w]) => w > 0).map(([kind]) => {
    const s = stats[kind];
    const sorted = [...s.latencies].sort((a, b) => a - b);
    return { kind, requests: sorted.length + s.errors, per_s: +((sorted.length + s.errors) / elapsed).toFixed(1), p50_ms: +percentile(sorted, 50).toFixed(1), p99_ms: +percentile(sorted, 99).toFixed(1), errors: s.errors, first_errors: s.firstErrors };
  });
  console.log(`\n${'kind'.padEnd(9)} ${'requests'.padStart(9)} ${'per s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}`);
  for (const row of rows) {
    console.log(`${row.kind.padEnd(9)} ${String(row.requests).padStart(9)} ${row.per_s.toFixed(1).padStart(8)} ${row.p50_ms.toFixed(1).padStart(8)} ${row.p99_ms.toFixed(1).padStart(8)} ${String(row.errors).padStart(7)}`);
    for (const e of row.first_errors) console.log(`          e.g. ${e}`);
  }
  const total = rows.reduce((s, r) => s + r.requests, 0);
  const errors = rows.reduce((s, r) => s + r.errors, 0);
  const tile = rows.find((r) => r.kind === 'tile') ?? { p99_ms: NaN };
  console.log(`\nall: ${total} requests, ${(total / elapsed).toFixed(1)}/s, ${errors} errors in ${elapsed.toFixed(1)} s`);
  console.log(`target: zero errors (${errors === 0 ? 'met' : 'NOT met'}), p99 tile < 100 ms at ${connections} connections (${tile.p99_ms} ms: ${tile.p99_ms < 100 ? 'met' : 'NOT met'})`);
  results = { when: new Date().toISOString(), seconds: +elapsed.toFixed(1), connections, mix: Object.fromEntries(MIX), kinds: rows };
} finally {
  await server.stop('SIGTERM');
  if (process.env.BENCH_KEEP === '1') console.log('kept:', scratch.url);
  else await scratch.drop();
}

mkdirSync('bench-results', { recursive: true });
const file = `bench-results/load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`written to ${file}`);
