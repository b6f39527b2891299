/**
 * The server as a process: the start line, clean stops on SIGINT/SIGTERM with in-flight requests
 * finished, a restart that keeps every change, and one clear line for each bad setting.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startServer, runServer, type RunningServer } from '../helpers/server-process.js';
import { testDb, resetData } from '../helpers/db.js';

const databaseUrl = inject('databaseUrl') ?? undefined;
/** Where a fresh server keeps its data: a new DATA_DIR, or the tier's PostgreSQL database emptied. */
async function freshEngine(): Promise<Record<string, string>> {
  if (!databaseUrl) return { DATA_DIR: mkdtempSync(join(tmpdir(), 'remap-proc-')) };
  await resetData(await testDb());
  return { DATABASE_URL: databaseUrl };
}
const engineEnv = () => (databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: mkdtempSync(join(tmpdir(), 'remap-proc-')) });
const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

const post = (s: RunningServer, path: string, body: unknown) => s.authFetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('server process', () => {
  it('starts, says where and on which database, stops cleanly on SIGINT finishing an in-flight import, and restarts keeping the data', async () => {
    const env = { ...(await freshEngine()), SEED_DEMO: '0' };
    const s1 = await startServer(env);
    running.push(s1);
    expect(s1.output()).toMatch(databaseUrl ? /database: postgres/ : /database: embedded/);
    const health = await (await fetch(`${s1.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: databaseUrl ? 'postgres' : 'embedded' });
    expect(health.postgis).toMatch(/^3\./);

    const features = Array.from({ length: 20_000 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [117 + i * 1e-5, 33] }, properties: { category: 'domestic' } }));
    await s1.authHeaders();
    const inFlight = post(s1, '/api/import/garbage_points', { type: 'FeatureCollection', features });
    await new Promise((r) => setTimeout(r, 150));
    const code = await s1.stop('SIGINT');
    const response = await inFlight;
    expect(response.status).toBe(201);
    expect(code).toBe(0);
    expect(s1.output()).toMatch(/stopped cleanly/);

    const s2 = await startServer(env);
    running.push(s2);
    // The admin and its token survive the restart too.
    const items = await (await fetch(`${s2.url}/api/collections/garbage_points/items?limit=1`, { headers: await s1.authHeaders() })).json();
    expect(items.numberMatched).toBe(20_000);
    expect(await s2.stop('SIGTERM')).toBe(0);
  });

  it('loads the demo township into an empty database once (SEED_DEMO=1), not again after the user empties it', async () => {
    const env = { ...(await freshEngine()), SEED_DEMO: '1' };
    const s = await startServer(env);
    running.push(s);
    expect(s.output()).toMatch(/loaded the demo township: \d+ roads, 17 villages/);
    // The demo users are printed once, one per role, and can sign in with those passwords.
    expect(s.output()).toMatch(/demo users \(DEMO ONLY/);
    for (const role of ['admin', 'planner', 'greening', 'inspector', 'village_officer', 'viewer']) expect(s.output()).toMatch(new RegExp(`\\n  ${role} +\\S+ / \\S+`));
    const planner = /\n  planner +(\S+) \/ (\S+)/.exec(s.output())!;
    const login = await post(s, '/api/auth/login', { username: planner[1], password: planner[2] });
    expect(login.status).toBe(200);
    expect((await login.json()).user.role).toBe('planner');
    const villages = await (await s.authFetch('/api/collections/villages/items?limit=100')).json();
    expect(villages.numberMatched).toBe(17);
    for (const v of villages.features) expect((await s.authFetch(`/api/collections/villages/items/${v.id}`, { method: 'DELETE' })).status).toBe(204);
    await s.stop();
    const again = await startServer(env);
    running.push(again);
    expect(again.output()).not.toMatch(/loaded the demo township/);
    expect(again.output()).not.toMatch(/demo users/);
    expect((await (await again.authFetch('/api/collections/villages/items?limit=1')).json()).numberMatched).toBe(0);
    await again.stop();
  });

  it('a port in use stops the start with one line that says what to fix', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const { output, exited } = runServer({ ...engineEnv(), SEED_DEMO: '0', PORT: String(port) });
    expect(await exited).toBe(1);
    blocker.close();
    expect(output()).toMatch(new RegExp(`cannot start: port ${port} on 127.0.0.1 is already in use: stop the other server or set PORT`));
    expect(output()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each([
    ['an unreachable database', { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' }, /cannot connect to PostgreSQL at 127.0.0.1:1\/nothing: .*Check DATABASE_URL/],
    ['a DATABASE_URL that is not a URL', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\//],
    ['an invalid PORT', { PORT: 'eighty' }, /PORT=eighty is not valid: use a whole number from 0 to 65535/],
    ['an invalid SEED_DEMO', { SEED_DEMO: 'yes' }, /SEED_DEMO=yes is not valid: use 1 or 0/],
    ['an ADMIN_USERNAME without ADMIN_PASSWORD', { ADMIN_PASSWORD: undefined }, /ADMIN_USERNAME and ADMIN_PASSWORD go together/],
    ['a short ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD is too short: use at least 8 characters/],
    ['an invalid PUBLIC_READ', { PUBLIC_READ: 'maybe' }, /PUBLIC_READ=maybe is not valid: use 1 or 0/],
  ])('%s stops the start with one clear line', async (_name, env, message) => {
    const { output, exited } = runServer({ DATA_DIR: mkdtempSync(join(tmpdir(), 'remap-proc-')), ...env });
    expect(await exited).toBe(1);
    expect(output()).toMatch(message);
    expect(output()).not.toMatch(/\n\s+at /);
  });

  it('an unwritable DATA_DIR stops the start with one clear line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'remap-proc-')), 'a-file');
    writeFileSync(file, '');
    chmodSync(file, 0o444);
    const { output, exited } = runServer({ DATA_DIR: join(file, 'data') });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/DATA_DIR .* is not writable \(ENOTDIR\): choose a folder you may write to/);
  });
});
