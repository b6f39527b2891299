/**
 * The audit log: every write leaves one entry with who, when, what, before and after; imports
 * one entry with counts and the id range; the table refuses UPDATE, DELETE and TRUNCATE; admins
 * search it, other users read one feature's history.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp, json, feature, point, TEST_ADMIN, userWithToken } from '../helpers/app.js';
import type { Db } from '../../server/db/index.js';

let app: FastifyInstance;
let db: Db;
let inspector: string;

beforeAll(async () => {
  ({ app, db } = await testApp());
  inspector = await userWithToken(db, 'audit-inspector', 'inspector');
});
afterAll(async () => {
  await app?.close();
});

const audit = async (query: string, authorization?: string) => {
  const res = await app.inject({ url: `/api/audit?${query}`, headers: authorization ? { authorization } : {} });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { numberMatched: number; entries: { action: string; username: string; role: string; collection: string; feature_id: number; before: any; after: any; details: any; at: string }[] };
};

describe('audit log', () => {
  it('create, replace, patch and delete of a feature each leave an entry with the user, before and after', async () => {
    const post = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { authorization: inspector, 'content-type': 'application/json' }, payload: JSON.stringify(feature(point(117.1, 32.9), { category: 'domestic', volume_t: 1 })) });
    expect(post.statusCode).toBe(201);
    const id = post.json().id;
    const put = await app.inject({ method: 'PUT', url: `/api/collections/garbage_points/items/${id}`, ...json(feature(point(117.2, 32.9), { category: 'construction', volume_t: 2 })) });
    expect(put.statusCode).toBe(200);
    const patch = await app.inject({ method: 'PATCH', url: `/api/collections/garbage_points/items/${id}`, ...json({ properties: { status: 'cleared', cleared_at: '2099-01-01T00:00:00Z' } }) });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/collections/garbage_points/items/${id}` })).statusCode).toBe(204);

    const history = await audit(`collection=garbage_points&feature_id=${id}`);
    expect(history.entries.map((e) => e.action)).toEqual(['delete', 'update', 'replace', 'create']);
    const [del, upd, rep, cre] = history.entries;
    expect(cre).toMatchObject({ username: 'audit-inspector', role: 'inspector', collection: 'garbage_points', feature_id: id, before: null });
    expect(cre.after.properties).toMatchObject({ category: 'domestic', volume_t: 1 });
    expect(cre.after.geometry.coordinates).toEqual([117.1, 32.9]);
    expect(rep).toMatchObject({ username: TEST_ADMIN.username, role: 'admin' });
    expect(rep.before.properties.category).toBe('domestic');
    expect(rep.after.properties.category).toBe('construction');
    expect(rep.after.geometry.coordinates).toEqual([117.2, 32.9]);
    expect(upd.before.properties.status).toBe('reported');
    expect(upd.after.properties.status).toBe('cleared');
    expect(del.before.properties.category).toBe('construction');
    expect(del.after).toBeNull();
    expect(Date.parse(cre.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a refused or failed write leaves no entry', async () => {
    const before = (await audit('')).numberMatched;
    expect((await app.inject({ method: 'POST', url: '/api/collections/roads/items', headers: { authorization: inspector, 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', ...json({ type: 'Feature', geometry: null, properties: {} }) })).statusCode).toBeGreaterThanOrEqual(400);
    expect((await app.inject({ method: 'DELETE', url: '/api/collections/garbage_points/items/99999' })).statusCode).toBe(404);
    expect((await audit('')).numberMatched).toBe(before);
  });

  it('an import leaves one entry with the count and the range of new ids', async () => {
    const features = Array.from({ length: 25 }, (_, i) => feature(point(117 + i * 0.001, 33), { category: 'domestic' }));
    const res = await app.inject({ method: 'POST', url: '/api/import/garbage_points', ...json({ type: 'FeatureCollection', features }) });
    expect(res.statusCode).toBe(201);
    const ids: number[] = res.json().ids;
    const { entries } = await audit('action=import');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ collection: 'garbage_points', username: TEST_ADMIN.username, after: { imported: 25, first_id: Math.min(...ids), last_id: Math.max(...ids) }, details: { skipped: 0 } });
  });

  it('a settings change keeps the value before and after', async () => {
    const value = { reward_per_km: 150, penalty_per_km: 20 };
    expect((await app.inject({ method: 'PUT', url: '/api/settings/corridor_rewards', ...json(value) })).statusCode).toBe(200);
    const { entries } = await audit('action=settings');
    expect(entries[0]).toMatchObject({ details: { key: 'corridor_rewards' }, before: { reward_per_km: 100, penalty_per_km: 0 }, after: value });
  });

  it('logins, failed logins and user changes are recorded, without passwords', async () => {
    await app.inject({ method: 'POST', url: '/api/auth/login', ...json({ username: 'audit-inspector', password: 'wrong-password' }) });
    await app.inject({ method: 'POST', url: '/api/auth/login', ...json({ username: 'audit-inspector', password: 'audit-inspector-password' }) });
    const created = await app.inject({ method: 'POST', url: '/api/users', ...json({ username: 'audited', password: 'secret-password', role: 'viewer' }) });
    expect(created.statusCode).toBe(201);
    await app.inject({ method: 'PATCH', url: '/api/users/audited', ...json({ role: 'planner', password: 'other-password' }) });

    expect((await audit('action=login_failed')).entries[0]).toMatchObject({ username: null, details: { username: 'audit-inspector' } });
    expect((await audit('action=login&user=audit-inspector')).entries[0]).toMatchObject({ role: 'inspector' });
    expect((await audit('action=user_create')).entries.find((e) => e.after.username === 'audited')).toMatchObject({ username: TEST_ADMIN.username, after: { role: 'viewer' } });
    const change = (await audit('action=user_update')).entries[0];
    expect(change).toMatchObject({ before: { username: 'audited', role: 'viewer' }, after: { role: 'planner' } });
    expect(change.after.password_changed_at).not.toBe(change.before.password_changed_at);
    const everything = JSON.stringify((await audit('limit=1000')).entries);
    expect(everything).not.toMatch(/secret-password|other-password|wrong-password|argon2/);
  });

  it('filters by user, action and time; pages; bad filters are 400', async () => {
    const mine = await audit('user=audit-inspector');
    expect(mine.entries.length).toBeGreaterThan(0);
    expect(mine.entries.every((e) => e.username === 'audit-inspector')).toBe(true);
    expect((await audit('from=2000-01-01&to=2000-01-02')).numberMatched).toBe(0);
    const all = await audit('limit=2');
    expect(all.entries).toHaveLength(2);
    expect(all.numberMatched).toBeGreaterThan(2);
    const next = await audit('limit=2&offset=2');
    expect(next.entries[0]).not.toEqual(all.entries[0]);
    // Past the end: no entries, but still how many there are.
    const beyond = await audit(`limit=2&offset=${all.numberMatched + 5}`);
    expect(beyond.entries).toEqual([]);
    expect(beyond.numberMatched).toBe(all.numberMatched);
    for (const q of ['action=explode', 'from=yesterday', 'limit=0', 'feature_id=abc', 'collection=castles', 'colour=red']) {
      const res = await app.inject(`/api/audit?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
  });

  it('other users read one feature\'s history but not the whole log', async () => {
    const one = await audit('collection=garbage_points&feature_id=1', inspector);
    expect(one.entries.length).toBeGreaterThan(0);
    expect((await app.inject({ url: '/api/audit', headers: { authorization: inspector } })).statusCode).toBe(403);
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    for (const sql of ["UPDATE audit_log SET action = 'nothing'", 'DELETE FROM audit_log', 'TRUNCATE audit_log']) {
      await expect(db.query(sql), sql).rejects.toThrow(/audit log is append-only/);
    }
    expect((await audit('')).numberMatched).toBeGreaterThan(0);
  });
});
