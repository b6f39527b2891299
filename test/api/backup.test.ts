/**
 * `npm run backup` / `npm run restore` as a user runs them (child processes, settings from the
 * environment), on the engine under test: the demo township and media come back exactly (row
 * counts and a checksum of every table, file contents), a damaged file or one of the other engine
 * is refused with one line and changes nothing, a target with data needs --force, and the
 * embedded DATA_DIR cannot be backed up or restored under a running server.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../server/db/index.js';
import { migrate } from '../../server/db/migrate.js';
import { seedDemo } from '../../server/seed/demo.js';
import { createScratchDb } from '../../scripts/lib/scratch-db.js';
import { startServer, type RunningServer } from '../helpers/server-process.js';

const baseUrl = inject('databaseUrl') ?? undefined;
const engine = baseUrl ? 'postgres' : 'embedded';
const ROOT = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'remap-backup-test-'));
const cleanups: (() => Promise<void>)[] = [];
const running: RunningServer[] = [];

interface Place {
  env: Record<string, string>;
  dataDir: string;
}

/** A place to back up from or restore into: a DATA_DIR, plus a scratch database on PostgreSQL. */
async function place(name: string): Promise<Place> {
  const dataDir = join(work, name);
  mkdirSync(dataDir, { recursive: true });
  if (!baseUrl) return { env: { DATA_DIR: dataDir }, dataDir };
  const scratch = await createScratchDb(baseUrl, `backup_${name}`);
  cleanups.push(scratch.drop);
  return { env: { DATA_DIR: dataDir, DATABASE_URL: scratch.url }, dataDir };
}

/** Opens the place's database for a moment: the embedded one must be closed again before the CLI runs. */
async function withDb<T>(p: Place, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir: p.dataDir, databaseUrl: p.env.DATABASE_URL });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Row count and md5 of every table of schema public but PostGIS's, the test's own SQL. */
async function snapshot(p: Place): Promise<Record<string, string>> {
  return withDb(p, async (db) => {
    await db.exec("SET TimeZone = 'UTC'");
    const { rows: tables } = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1");
    const out: Record<string, string> = {};
    for (const { t } of tables) {
      const { rows } = await db.query<{ n: number; h: string }>(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`);
      out[t] = `${rows[0].n} ${rows[0].h}`;
    }
    return out;
  });
}

function media(p: Place): Record<string, string> {
  const dir = join(p.dataDir, 'media');
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d, { withFileTypes: true })) {
      if (name.isDirectory()) walk(join(d, name.name), `${prefix}${name.name}/`);
      else out[prefix + name.name] = readFileSync(join(d, name.name)).toString('base64');
    }
  };
  walk(dir, '');
  return out;
}

function cli(command: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', `scripts/${command}.ts`, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: undefined, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('close', (code) => resolve({ code, out }));
  });
}

/** A refusal: a non-zero exit (2 for a usage error) and one line naming the command, no stack trace. */
function expectRefused(r: { code: number | null; out: string }, message: RegExp, code = 1) {
  expect(r.code, r.out).toBe(code);
  expect(r.out).toMatch(message);
  expect(r.out.trim().split('\n')).toHaveLength(1);
  expect(r.out).not.toMatch(/\n\s+at /);
}

let source: Place;
let file: string;
let before: Record<string, string>;
let mediaBefore: Record<string, string>;

beforeAll(async () => {
  source = await place('source');
  await withDb(source, async (db) => {
    await migrate(db);
    expect(await seedDemo(db)).toBeDefined();
  });
  mkdirSync(join(source.dataDir, 'media', 'photos'), { recursive: true });
  writeFileSync(join(source.dataDir, 'media', 'photos', '1.jpg'), Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]));
  writeFileSync(join(source.dataDir, 'media', 'photos', '2.jpg'), Buffer.from('second photo'));
  before = await snapshot(source);
  mediaBefore = media(source);
  file = join(work, 'township.backup');
}, 180_000);

afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
  for (const c of cleanups) await c();
  rmSync(work, { recursive: true, force: true });
});

describe(`backup and restore (${engine})`, () => {
  it('writes one file; after edits, deletes and changed media, restore --force brings back every table and file exactly', async () => {
    expect(Number(before.garbage_points.split(' ')[0])).toBeGreaterThan(0);
    const b = await cli('backup', [file], source.env);
    expect(b.code, b.out).toBe(0);
    expect(b.out).toMatch(new RegExp(`backed up .* and 2 media files to ${file}`));
    expectRefused(await cli('backup', [file], source.env), /already exists: choose another name, or pass --force/);

    await withDb(source, async (db) => {
      await db.query('DELETE FROM garbage_points WHERE id IN (SELECT id FROM garbage_points ORDER BY id LIMIT 5)');
      await db.query("UPDATE roads SET name = name || ' (renamed)' WHERE id = (SELECT min(id) FROM roads)");
      await db.query('DELETE FROM villages WHERE id = (SELECT max(id) FROM villages)');
      await db.query(`UPDATE settings SET value = '{"national": 99, "provincial": 10, "county": 10, "township": 10, "village": 10}'::jsonb WHERE key = 'setback_m_by_class'`);
    });
    unlinkSync(join(source.dataDir, 'media', 'photos', '1.jpg'));
    writeFileSync(join(source.dataDir, 'media', 'photos', '3.jpg'), Buffer.from('added after the backup'));
    const edited = await snapshot(source);
    expect(edited).not.toEqual(before);

    expectRefused(await cli('restore', [file], source.env), /already holds .*pass --force/);
    expect(await snapshot(source)).toEqual(edited);

    const r = await cli('restore', [file, '--force'], source.env);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/restored the backup of .* checksums match/);
    expect(await snapshot(source)).toEqual(before);
    expect(media(source)).toEqual(mediaBefore);
  });

  it('restores into an empty target without --force', async () => {
    const target = await place('empty');
    const r = await cli('restore', [file], target.env);
    expect(r.code, r.out).toBe(0);
    expect(await snapshot(target)).toEqual(before);
    expect(media(target)).toEqual(mediaBefore);
  });

  it('a truncated or damaged file, or no backup at all, is refused with one line and the database stays as it was', async () => {
    await withDb(source, (db) => db.query('DELETE FROM demolition_sites WHERE id = (SELECT min(id) FROM demolition_sites)'));
    const edited = await snapshot(source);
    const bytes = readFileSync(file);
    const truncated = join(work, 'truncated.backup');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expectRefused(await cli('restore', [truncated, '--force'], source.env), /^restore: .*(damaged|incomplete).*use another copy of the backup/);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)] ^= 0xff;
    const damaged = join(work, 'damaged.backup');
    writeFileSync(damaged, flipped);
    expectRefused(await cli('restore', [damaged, '--force'], source.env), /^restore: .*damaged/);
    const notBackup = join(work, 'notes.txt');
    writeFileSync(notBackup, 'not a backup');
    expectRefused(await cli('restore', [notBackup, '--force'], source.env), /^restore: .*(damaged or not a backup|not a Remediation Map backup)/);
    expectRefused(await cli('restore', [join(work, 'missing.backup')], source.env), /does not exist/);
    expectRefused(await cli('restore', [], source.env), /give one file name: npm run restore -- <file> \[--force\]/, 2);
    expect(await snapshot(source)).toEqual(edited);
  });

  it('a backup of one engine is refused by the other with what to set', async () => {
    const other: Record<string, string> = baseUrl
      ? { DATA_DIR: join(work, 'other') }
      : { DATA_DIR: join(work, 'other'), DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' };
    const r = await cli('restore', [file], other);
    expectRefused(r, baseUrl
      ? /this backup is of PostgreSQL \(DATABASE_URL\) and cannot go into the embedded database .*set DATABASE_URL/
      : /this backup is of the embedded database .* cannot go into PostgreSQL .*unset DATABASE_URL/);
  });

  it.runIf(engine === 'postgres')('backs up while the server keeps writing: the dump and the checksums are one snapshot', async () => {
    const s = await startServer({ ...source.env, SEED_DEMO: '0' });
    running.push(s);
    const auth = await s.authHeaders();
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const r = await fetch(`${s.url}/api/collections/garbage_points/items`, { method: 'POST', headers: { 'content-type': 'application/geo+json', ...auth }, body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [117.2, 33] }, properties: { category: `during-backup-${written}` } }) });
        expect(r.status).toBe(201);
        written++;
      }
    })();
    const during = join(work, 'during-writes.backup');
    const b = await cli('backup', [during], source.env);
    const writtenByEnd = written;
    writing = false;
    await writer;
    expect(b.code, b.out).toBe(0);
    expect(writtenByEnd).toBeGreaterThan(0);
    // restore compares every table with the manifest: a dump from another moment than the checksums fails here
    const target = await place('during');
    const r = await cli('restore', [during], target.env);
    expect(r.code, r.out).toBe(0);
    await s.stop('SIGTERM');
  });

  it.runIf(engine === 'embedded')('refuses to back up or restore a DATA_DIR the server has open, and the server starts on restored data', async () => {
    const s = await startServer({ ...source.env, SEED_DEMO: '0' });
    running.push(s);
    const pid = s.proc.pid;
    expectRefused(await cli('backup', [join(work, 'while-running.backup')], source.env), new RegExp(`DATA_DIR .* is in use by the server \\(pid ${pid},.*stop it first`));
    expect(existsSync(join(work, 'while-running.backup'))).toBe(false);
    expectRefused(await cli('restore', [file, '--force'], source.env), new RegExp(`in use by the server \\(pid ${pid}`));
    const villages = await (await s.authFetch('/api/collections/villages/items?limit=1')).json();
    expect(villages.numberMatched).toBe(Number(before.villages.split(' ')[0]));
    expect(await s.stop('SIGTERM')).toBe(0);
    // A server killed without a chance to clean up leaves its lock behind: the next one takes it over.
    const killed = await startServer({ ...source.env, SEED_DEMO: '0' });
    running.push(killed);
    await killed.stop('SIGKILL');
    expect(existsSync(join(source.dataDir, 'lock.json'))).toBe(true);
    const b = await cli('backup', [join(work, 'after-kill.backup')], source.env);
    expect(b.code, b.out).toBe(0);
  });
});
