/**
 * SIGKILL, as a crash or the OOM killer would: the real server process on a scratch DATA_DIR
 * (embedded) or a scratch PostgreSQL database, killed (a) in the middle of a 50,000-point import
 * while its INSERT runs and (b) in the middle of a burst of 200 parallel edits. After a restart
 * none of the unanswered import is there (its transaction had not committed), and every edit that
 * was answered with 2xx before the kill is there.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import { startServer, type RunningServer } from '../helpers/server-process.js';
import { createScratchDb } from '../../scripts/lib/scratch-db.js';

const baseUrl = inject('databaseUrl') ?? undefined;
const engine = baseUrl ? 'postgres' : 'embedded';
const running: RunningServer[] = [];
// Each test starts the server twice; a start takes 3–15 s here depending on what else runs.
const TIMEOUT = 180_000;
let env: Record<string, string>;
let cleanup = async () => {};

beforeAll(async () => {
  if (baseUrl) {
    const scratch = await createScratchDb(baseUrl, 'crash');
    env = { DATABASE_URL: scratch.url };
    cleanup = scratch.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'remap-crash-'));
    env = { DATA_DIR: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});

afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
  await cleanup();
});

async function start(): Promise<RunningServer> {
  const s = await startServer({ ...env, SEED_DEMO: '0' });
  running.push(s);
  return s;
}

const count = async (s: RunningServer) => ((await (await s.authFetch('/api/collections/garbage_points/items?limit=1')).json()) as { numberMatched: number }).numberMatched;

const points = (n: number, category: string) => ({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [117 + (i % 500) * 1e-4, 33 + Math.floor(i / 500) * 1e-4] }, properties: { category } })),
});

/** Real PostgreSQL: resolves once the server's INSERT into garbage_points is running. */
async function insertRunning(url: string, timeoutMs = 60_000): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const { rows } = await c.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query ILIKE '%INSERT INTO garbage_points%' AND pid <> pg_backend_pid()");
      if (rows.length) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the import never reached its INSERT');
  } finally {
    await c.end();
  }
}

/** Bytes of the embedded database's table and index files. */
function relationBytes(dataDir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else n += statSync(join(d, e.name), { throwIfNoEntry: false })?.size ?? 0;
    }
  };
  walk(join(dataDir, 'pgdata', 'base'));
  return n;
}

/**
 * Embedded: resolves once the database files have grown by 2 MB, i.e. the import's INSERT is
 * writing rows (its transaction commits only at the end, after all 50,000).
 */
async function filesGrowing(dataDir: string, timeoutMs = 90_000): Promise<void> {
  const start = relationBytes(dataDir);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (relationBytes(dataDir) - start >= 2 * 1024 * 1024) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the import never started writing');
}

describe(`crash safety (${engine})`, () => {
  it('a 50,000-point import killed in flight leaves nothing of it, and the server starts cleanly after', async () => {
    const N = 50_000;
    const body = JSON.stringify(points(N, 'import'));
    const s = await start();
    expect(await count(s)).toBe(0);
    const auth = await s.authHeaders();
    const response = fetch(`${s.url}/api/import/garbage_points`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body }).then((r) => r.status, () => 'no answer' as const);
    // Kill while the INSERT runs: seen in pg_stat_activity on PostgreSQL; on the embedded engine
    // (nothing outside the process can look into it) seen as its table files growing.
    if (baseUrl) await insertRunning(env.DATABASE_URL);
    else await filesGrowing(env.DATA_DIR);
    await s.stop('SIGKILL');
    expect(await response).toBe('no answer');

    const again = await start();
    expect(again.output()).not.toMatch(/error|cannot start/i);
    expect(await count(again)).toBe(0);
    // The table takes writes again and counts right: the kill left nothing half-done behind.
    const r = await again.authFetch('/api/import/garbage_points', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(points(1_000, 'after')) });
    expect(r.status).toBe(201);
    expect(await count(again)).toBe(1_000);
    // … and its spatial index finds them (a bbox query goes through the GiST index).
    const inBox = await (await again.authFetch('/api/collections/garbage_points/items?limit=1&bbox=116.99,32.99,117.06,33.01')).json() as { numberMatched: number };
    expect(inBox.numberMatched).toBe(1_000);
    expect(await again.stop('SIGTERM')).toBe(0);
  }, TIMEOUT);

  it('a burst of 200 parallel edits killed in the middle keeps every edit that was answered', async () => {
    let s = await start();
    const seed = await (await s.authFetch('/api/import/garbage_points', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(points(100, 'burst-seed')) })).json() as { ids: number[] };
    expect(seed.ids).toHaveLength(100);

    // The token is made before the burst, so every request of it is only the edit itself.
    const auth = await s.authHeaders();
    const acked: { kind: 'post' | 'patch'; id: number; volume_t: number }[] = [];
    let answered = 0;
    let killed: Promise<unknown> | undefined;
    const edits = Array.from({ length: 200 }, async (_, i) => {
      const volume_t = 1000 + i;
      const request = i % 2
        ? fetch(`${s.url}/api/collections/garbage_points/items/${seed.ids[i >> 1]}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json', ...auth }, body: JSON.stringify({ properties: { volume_t } }) })
        : fetch(`${s.url}/api/collections/garbage_points/items`, { method: 'POST', headers: { 'content-type': 'application/geo+json', ...auth }, body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [117.5, 33.1 + i * 1e-5] }, properties: { category: `burst-${i}`, volume_t } }) });
      try {
        const r = await request;
        const feature = (await r.json()) as { id: number };
        if (r.status >= 200 && r.status < 300) acked.push({ kind: i % 2 ? 'patch' : 'post', id: i % 2 ? seed.ids[i >> 1] : Number(feature.id), volume_t });
        else throw new Error(`edit ${i}: ${r.status} ${JSON.stringify(feature)}`);
      } catch (e) {
        if (!killed) throw e; // before the kill every edit must succeed
      }
      // Kill once a quarter of the burst has been answered: the rest is in flight or queued.
      if (++answered === 50) killed = s.stop('SIGKILL');
    });
    await Promise.all(edits);
    await killed;
    expect(acked.length).toBeGreaterThanOrEqual(50);
    expect(acked.length).toBeLessThan(200);

    s = await start();
    const missing: string[] = [];
    for (const a of acked) {
      const r = await s.authFetch(`/api/collections/garbage_points/items/${a.id}`);
      const f = r.status === 200 ? ((await r.json()) as { properties: { volume_t: number } }) : undefined;
      if (f?.properties.volume_t !== a.volume_t) missing.push(`${a.kind} ${a.id}: ${r.status} ${f?.properties.volume_t}`);
    }
    expect(missing).toEqual([]);
    expect(await s.stop('SIGTERM')).toBe(0);
  }, TIMEOUT);
});
