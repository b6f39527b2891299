/**
 * Signing in and out, the session cookie, CSRF, API tokens, password changes, disabled users,
 * login throttling and public read-only mode.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { testApp, json, TEST_ADMIN, feature, point } from '../helpers/app.js';
import type { Db } from '../../server/db/index.js';
import { TTL_MS } from '../../server/auth/signed-in-cache.js';

let app: FastifyInstance;
let db: Db;
let adminAuth: string;

beforeAll(async () => {
  ({ app, db, adminAuth } = await testApp({ auth: false }));
});
afterAll(async () => {
  await app?.close();
});

const anon = { authorization: undefined } as const;

function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'remap_session');
  if (!c) throw new Error(`no session cookie in ${JSON.stringify(res.headers['set-cookie'])}`);
  return `remap_session=${c.value}`;
}

async function login(username: string, password: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, ...json({ username, password }) });
}

async function makeUser(username: string, role: string, password = `${username}-password`, villages: string[] = []) {
  const res = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ username, password, role, villages }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const garbage = feature(point(117.1, 32.9), { category: 'domestic' });

describe('sign in, me, sign out', () => {
  it('login sets an httpOnly SameSite=Lax cookie and returns the user and a CSRF token; me answers the same', async () => {
    const res = await login(TEST_ADMIN.username, TEST_ADMIN.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({ username: TEST_ADMIN.username, role: 'admin', villages: [] });
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const c = res.cookies.find((x) => x.name === 'remap_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.secure).toBeFalsy(); // plain HTTP here; Secure over HTTPS
    expect(c.path).toBe('/');
    // Only the hash of the session id is stored.
    const stored = await db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    expect(stored.rows.map((r) => r.id_hash)).not.toContain(c.value);

    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ user: body.user, csrf_token: body.csrf_token });

    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: sessionCookie(res) } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((x) => x.name === 'remap_session')?.value).toBe('');
    const after = await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(res) } });
    expect(after.statusCode).toBe(401);
  });

  it('the cookie is Secure when the request came over HTTPS (behind a trusted proxy that says so)', async () => {
    const plain = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, payload: JSON.stringify(TEST_ADMIN) });
    expect(plain.cookies.find((x) => x.name === 'remap_session')!.secure).toBeFalsy(); // an untrusted header is ignored
    const proxied = await testApp({ trustProxy: true, auth: false });
    ({ app, db, adminAuth } = { ...proxied, app: (await app.close(), proxied.app) });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, payload: JSON.stringify(TEST_ADMIN) });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((x) => x.name === 'remap_session')!.secure).toBe(true);
  });

  it('a wrong password or an unknown user is 401 with the same message; a malformed body is 400', async () => {
    const wrong = await login(TEST_ADMIN.username, 'not the password', '10.0.0.1');
    const unknown = await login('nobody', 'whatever-password', '10.0.0.1');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'invalid_credentials', message: 'wrong username or password' });
    expect(unknown.json()).toEqual(wrong.json());
    const bad = await app.inject({ method: 'POST', url: '/api/auth/login', ...json({ user: 'x' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_parameter');
  });

  it('me is 401 for anonymous requests and for a stale cookie', async () => {
    expect((await app.inject({ url: '/api/auth/me', headers: anon })).statusCode).toBe(401);
    const stale = await app.inject({ url: '/api/auth/me', headers: { cookie: 'remap_session=made-up' } });
    expect(stale.statusCode).toBe(401);
    expect(stale.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('anonymous requests to the data are 401 saying how to sign in; health stays public', async () => {
    const res = await app.inject({ url: '/api/collections/roads/items', headers: anon });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/sign in first/);
    expect((await app.inject({ url: '/api/health', headers: anon })).statusCode).toBe(200);
  });
});

describe('login throttling', () => {
  it('after 5 failures for one username from one address, the next tries get 429 with Retry-After, even with the right password', async () => {
    await makeUser('throttled', 'viewer', 'throttled-password');
    for (let i = 0; i < 5; i++) expect((await login('throttled', `wrong-${i}`, '10.1.1.1')).statusCode).toBe(401);
    const refused = await login('throttled', 'throttled-password', '10.1.1.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toBe('too_many_attempts');
    const retry = Number(refused.headers['retry-after']);
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
    // Another address is not affected, and its success does not unlock the first one.
    expect((await login('throttled', 'throttled-password', '10.1.1.2')).statusCode).toBe(200);
    expect((await login('throttled', 'throttled-password', '10.1.1.1')).statusCode).toBe(429);
    // Once the failures are older than 15 minutes, the address may try again.
    await db.query("UPDATE login_failures SET at = at - interval '16 minutes' WHERE username = 'throttled'");
    expect((await login('throttled', 'throttled-password', '10.1.1.1')).statusCode).toBe(200);
  });

  it('a success before the limit forgets the failures', async () => {
    await makeUser('forgetful', 'viewer', 'forgetful-password');
    for (let i = 0; i < 4; i++) await login('forgetful', 'wrong', '10.2.2.2');
    expect((await login('forgetful', 'forgetful-password', '10.2.2.2')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login('forgetful', 'wrong', '10.2.2.2')).statusCode).toBe(401);
    expect((await login('forgetful', 'forgetful-password', '10.2.2.2')).statusCode).toBe(200);
  });
});

describe('CSRF on cookie-authenticated writes', () => {
  it('a write with the cookie but without X-CSRF-Token is 403 and writes nothing; with the token it goes through', async () => {
    const res = await login(TEST_ADMIN.username, TEST_ADMIN.password);
    const cookie = sessionCookie(res);
    const { csrf_token } = res.json();
    const without = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { cookie, 'content-type': 'application/json' }, payload: JSON.stringify(garbage) });
    expect(without.statusCode).toBe(403);
    expect(without.json().message).toMatch(/X-CSRF-Token/);
    const wrong = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { cookie, 'x-csrf-token': 'x'.repeat(43), 'content-type': 'application/json' }, payload: JSON.stringify(garbage) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toMatch(/does not match/);
    expect((await db.query('SELECT 1 FROM garbage_points')).rows).toHaveLength(0);
    const ok = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }, payload: JSON.stringify(garbage) });
    expect(ok.statusCode).toBe(201);
    // Reads need no CSRF token.
    expect((await app.inject({ url: '/api/collections/garbage_points/items', headers: { cookie } })).statusCode).toBe(200);
    // Another session's token does not fit this one.
    const other = (await login(TEST_ADMIN.username, TEST_ADMIN.password)).json().csrf_token;
    expect(other).not.toBe(csrf_token);
    const crossed = await app.inject({ method: 'DELETE', url: `/api/collections/garbage_points/items/${ok.json().id}`, headers: { cookie, 'x-csrf-token': other } });
    expect(crossed.statusCode).toBe(403);
  });
});

describe('API tokens', () => {
  it('POST /api/auth/tokens gives a token that acts as the user without CSRF; only its hash is stored; a bad token is 401', async () => {
    await makeUser('tokeninspector', 'inspector', 'inspector-password');
    const res = await login('tokeninspector', 'inspector-password');
    const made = await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: sessionCookie(res), 'x-csrf-token': res.json().csrf_token, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'QGIS' }) });
    expect(made.statusCode).toBe(201);
    const { token } = made.json();
    expect(token).toMatch(/^remap_[A-Za-z0-9_-]{40,}$/);
    const stored = await db.query<{ token_hash: string; name: string }>("SELECT token_hash, name FROM api_tokens WHERE name = 'QGIS'");
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).not.toContain(token.slice(6));

    const auth = { authorization: `Bearer ${token}` };
    const me = await app.inject({ url: '/api/auth/me', headers: auth });
    expect(me.json()).toEqual({ user: { username: 'tokeninspector', role: 'inspector', villages: [] }, csrf_token: null });
    const created = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(garbage) });
    expect(created.statusCode).toBe(201);
    const refused = await app.inject({ method: 'POST', url: '/api/collections/roads/items', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({}) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/the role inspector may not change roads/);

    const bad = await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${token}x` } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer/);
    const basic = await app.inject({ url: '/api/collections', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.json().message).toMatch(/Bearer/);
  });
});

describe('listing and revoking API tokens', () => {
  it('lists one\'s own tokens without the secret; revoking one stops it at once; others\' tokens are out of reach', async () => {
    await makeUser('revoker', 'viewer', 'revoker-password');
    const s = await login('revoker', 'revoker-password');
    const headers = { cookie: sessionCookie(s), 'x-csrf-token': s.json().csrf_token, 'content-type': 'application/json' };
    const a = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: '{"name":"laptop"}' })).json();
    const b = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: '{"name":"QGIS"}' })).json();
    await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${a.token}` } });
    const list = await app.inject({ url: '/api/auth/tokens', headers: { authorization: `Bearer ${b.token}` } });
    expect(list.statusCode).toBe(200);
    const tokens = list.json().tokens;
    expect(tokens.map((t: { name: string }) => t.name)).toEqual(['laptop', 'QGIS']);
    expect(tokens[0].last_used_at).not.toBeNull();
    expect(list.body).not.toContain(a.token.slice(6));
    // The admin cannot revoke the viewer's token through this route (it is about one's own tokens).
    expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${a.id}`, headers: { authorization: adminAuth } })).statusCode).toBe(404);
    const noCsrf = await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${a.id}`, headers: { cookie: headers.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${a.id}`, headers: { cookie: headers.cookie, 'x-csrf-token': headers['x-csrf-token'] } })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${a.token}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${b.token}` } })).statusCode).toBe(200);
    const audit = (await app.inject({ url: '/api/audit?action=token_revoke', headers: { authorization: adminAuth } })).json();
    expect(audit.entries[0]).toMatchObject({ username: 'revoker', details: { token_id: a.id, name: 'laptop' } });
  });
});

describe('changing a password', () => {
  it('needs the current password and at least 8 characters; ends other sessions; the new password signs in', async () => {
    await makeUser('changer', 'planner', 'first-password');
    const a = await login('changer', 'first-password');
    const b = await login('changer', 'first-password');
    const headers = { cookie: sessionCookie(a), 'x-csrf-token': a.json().csrf_token, 'content-type': 'application/json' };
    const short = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: JSON.stringify({ current_password: 'first-password', new_password: 'short' }) });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/new_password is too short: use at least 8 characters/);
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: JSON.stringify({ current_password: 'not-it', new_password: 'second-password' }) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/current_password/);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { ...headers, 'x-csrf-token': undefined }, payload: JSON.stringify({ current_password: 'first-password', new_password: 'second-password' }) });
    expect(noCsrf.statusCode).toBe(403);
    // b was just used, so the server remembers who it is (auth/signed-in-cache.ts): the change must still end it at once.
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(b) } })).statusCode).toBe(200);
    const ok = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: JSON.stringify({ current_password: 'first-password', new_password: 'second-password' }) });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(a) } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(b) } })).statusCode).toBe(401);
    expect((await login('changer', 'first-password', '10.3.3.3')).statusCode).toBe(401);
    expect((await login('changer', 'second-password', '10.3.3.3')).statusCode).toBe(200);
  });
});

describe('users (admin)', () => {
  it('creates users with clear 400s for bad input and 409 for a taken name; lists them without hashes', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'x y', password: 'long-enough', role: 'viewer' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/username/);
    const role = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'r', password: 'long-enough', role: 'mayor' }) });
    expect(role.json().message).toMatch(/role must be one of admin, planner, greening, inspector, village_officer, viewer/);
    const officer = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'officer0', password: 'long-enough', role: 'village_officer' }) });
    expect(officer.statusCode).toBe(400);
    expect(officer.json().message).toMatch(/at least one village/);
    const created = await makeUser('officer1', 'village_officer', 'officer-password', ['包集村', '石山村']);
    expect(created).toMatchObject({ username: 'officer1', role: 'village_officer', villages: ['包集村', '石山村'], disabled: false });
    const again = await app.inject({ method: 'POST', url: '/api/users', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'officer1', password: 'long-enough', role: 'viewer' }) });
    expect(again.statusCode).toBe(409);
    const list = await app.inject({ url: '/api/users', headers: { authorization: adminAuth } });
    expect(list.json().users.map((u: { username: string }) => u.username)).toContain('officer1');
    expect(list.body).not.toMatch(/argon2|password_hash/);
    const me = (await login('officer1', 'officer-password')).json();
    expect(me.user).toEqual({ username: 'officer1', role: 'village_officer', villages: ['包集村', '石山村'] });
  });

  it('PATCH changes role and villages, resets a password, disables a user (sessions and tokens stop working); the last admin stays', async () => {
    await makeUser('patched', 'inspector', 'patched-password');
    const session = await login('patched', 'patched-password');
    const patch = (body: unknown) => app.inject({ method: 'PATCH', url: '/api/users/patched', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect((await patch({ role: 'village_officer' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(session) } })).json().user.role).toBe('inspector');
    const officer = await patch({ role: 'village_officer', villages: ['大观村'] });
    expect(officer.statusCode).toBe(200);
    expect(officer.json()).toMatchObject({ role: 'village_officer', villages: ['大观村'] });
    // The session was remembered as an inspector's a moment ago; the new role applies to the next request.
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(session) } })).json().user).toMatchObject({ role: 'village_officer', villages: ['大观村'] });
    expect((await patch({ role: 'viewer' })).json()).toMatchObject({ role: 'viewer', villages: [] });
    expect((await patch({ colour: 'red' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: '/api/users/ghost', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: '{"disabled":true}' })).statusCode).toBe(404);

    const reset = await patch({ password: 'reset-password' });
    expect(reset.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(session) } })).statusCode).toBe(401);
    const fresh = await login('patched', 'reset-password');
    expect(fresh.statusCode).toBe(200);
    const token = (await app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: sessionCookie(fresh), 'x-csrf-token': fresh.json().csrf_token, 'content-type': 'application/json' }, payload: '{"name":"script"}' })).json().token;

    expect((await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await patch({ disabled: true })).json().disabled).toBe(true);
    const disabledLogin = await login('patched', 'reset-password');
    expect(disabledLogin.statusCode).toBe(403);
    expect(disabledLogin.json()).toMatchObject({ error: 'account_disabled' });
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(fresh) } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await patch({ disabled: false })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/collections', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);

    const last = await app.inject({ method: 'PATCH', url: `/api/users/${TEST_ADMIN.username}`, headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: '{"role":"viewer"}' });
    expect(last.statusCode).toBe(409);
    expect(last.json().message).toMatch(/last active admin/);
  });
});

describe('a change made outside this server', () => {
  it(`applies within ${TTL_MS} ms (npm run user, a second server or psql disabling a user)`, async () => {
    await makeUser('elsewhere', 'viewer', 'elsewhere-password');
    const s = await login('elsewhere', 'elsewhere-password');
    const cookie = sessionCookie(s);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    await db.query("UPDATE users SET disabled = true WHERE username = 'elsewhere'");
    await new Promise((r) => setTimeout(r, TTL_MS + 100));
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('public read-only mode', () => {
  it('the public_read setting (admin only) lets anonymous users read map data but not users, audit or me, and write nothing', async () => {
    expect((await app.inject({ url: '/api/collections/roads/items', headers: anon })).statusCode).toBe(401);
    await makeUser('settingplanner', 'planner', 'planner-password');
    const planner = await login('settingplanner', 'planner-password');
    const refused = await app.inject({ method: 'PUT', url: '/api/settings/public_read', headers: { cookie: sessionCookie(planner), 'x-csrf-token': planner.json().csrf_token, 'content-type': 'application/json' }, payload: 'true' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/planner may not change the setting public_read; only admin may/);
    const on = await app.inject({ method: 'PUT', url: '/api/settings/public_read', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: 'true' });
    expect(on.statusCode, on.body).toBe(200);
    try {
      for (const url of ['/api/collections/roads/items', '/api/collections', '/api/analysis/afforestation', '/api/tiles/roads.json', '/api/settings', '/api/client-config']) {
        expect((await app.inject({ url, headers: anon })).statusCode, url).toBe(200);
      }
      expect((await app.inject({ url: '/api/users', headers: anon })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/audit', headers: anon })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/audit?collection=roads&feature_id=1', headers: anon })).statusCode).toBe(401);
      expect((await app.inject({ url: '/api/auth/me', headers: anon })).statusCode).toBe(401);
      const write = await app.inject({ method: 'POST', url: '/api/collections/garbage_points/items', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(garbage) });
      expect(write.statusCode).toBe(401);
    } finally {
      await app.inject({ method: 'PUT', url: '/api/settings/public_read', headers: { authorization: adminAuth, 'content-type': 'application/json' }, payload: 'false' });
    }
    expect((await app.inject({ url: '/api/collections/roads/items', headers: anon })).statusCode).toBe(401);
  });

  // Last: testApp empties the shared database.
  it('PUBLIC_READ=1 does the same from the environment', async () => {
    const t = await testApp({ publicRead: true, auth: false });
    try {
      expect((await t.app.inject({ url: '/api/collections/villages/items' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/users' })).statusCode).toBe(401);
      expect((await t.app.inject({ url: '/api/auth/me' })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'DELETE', url: '/api/collections/villages/items/1' })).statusCode).toBe(401);
    } finally {
      await t.app.close();
    }
  });
});
