/**
 * Accounts in the client: which controls each role gets, the account forms' checks, the audit
 * log read as field changes, its query string and pages, and the CSRF header and lost-session
 * handling of every request.
 */
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { canEditSettings, canManageUsers, canWrite, ROLES, writableCollections } from '../../../client/src/lib/permissions';
import { validateNewUser, validatePasswordChange, waitParts } from '../../../client/src/lib/accounts';
import { auditChanges, auditQuery, formatChangeValue, nextDay, pageInfo, readAuditPage } from '../../../client/src/lib/audit';
import { api, ApiError, retryAfterSeconds } from '../../../client/src/api/http';
import { useSessionStore } from '../../../client/src/state/session';
import { findCollection } from '../../../server/collections/registry';
import { MAP_LAYERS } from '../../../client/src/map/filters';
import { zh } from '../../../client/src/i18n/catalog';

describe('role → allowed actions', () => {
  it('lets each role write exactly its own layers', () => {
    const expected: Record<string, string[]> = {
      admin: [...MAP_LAYERS],
      planner: ['roads', 'villages'],
      greening: ['afforestation_plots'],
      inspector: ['findings', 'garbage_points', 'sanitation_facilities', 'demolition_sites'],
      village_officer: [],
      viewer: [],
    };
    for (const role of ROLES) expect(writableCollections(role, MAP_LAYERS).sort(), role).toEqual([...expected[role]].sort());
    expect(canWrite('planner', 'waterways')).toBe(true);
    expect(canWrite('inspector', 'roads')).toBe(false);
    expect(canWrite('inspector', 'garbage_points')).toBe(true);
  });

  it('gives an anonymous visitor (no role) or an unknown role nothing', () => {
    expect(canWrite(null, 'garbage_points')).toBe(false);
    expect(canWrite(undefined, 'roads')).toBe(false);
    expect(canWrite('root' as never, 'roads')).toBe(false);
    expect(writableCollections(null, MAP_LAYERS)).toEqual([]);
    expect(canManageUsers(null)).toBe(false);
  });

  it('lets only admins manage users and only admins and planners edit settings', () => {
    expect(ROLES.filter((r) => canManageUsers(r))).toEqual(['admin']);
    expect(ROLES.filter((r) => canEditSettings(r))).toEqual(['admin', 'planner']);
  });

  it('names every role in both languages', () => {
    for (const r of ROLES) {
      expect(zh).toHaveProperty([`role.${r}`]);
      expect(zh).toHaveProperty([`role.${r}.desc`]);
    }
    expect([zh['role.admin'], zh['role.planner'], zh['role.greening'], zh['role.inspector'], zh['role.village_officer'], zh['role.viewer']]).toEqual(['管理员', '规划', '绿化', '巡查', '村干部', '只读']);
  });
});

describe('account form checks', () => {
  it('checks a password change field by field', () => {
    expect(validatePasswordChange({ current: '', next: 'short', confirm: 'short' })).toEqual({ current: 'account.problem.required', next: 'account.problem.short' });
    expect(validatePasswordChange({ current: 'old-password', next: 'old-password', confirm: 'old-password' })).toEqual({ next: 'account.problem.same' });
    expect(validatePasswordChange({ current: 'old-password', next: 'new-password', confirm: 'new-passwort' })).toEqual({ confirm: 'account.problem.mismatch' });
    expect(validatePasswordChange({ current: 'old-password', next: 'new-password', confirm: 'new-password' })).toEqual({});
    // Eight characters, counted as characters (a Chinese passphrase is not short for being 3 bytes a character).
    expect(validatePasswordChange({ current: 'x', next: '整治一张图整治一', confirm: '整治一张图整治一' })).toEqual({});
  });

  it('checks a new user: the server\'s user-name rule, a free name, a role, villages for village officers', () => {
    const ok = { username: 'zhang.san', password: 'longenough', role: 'inspector', villages: [] };
    expect(validateNewUser(ok)).toEqual({});
    expect(validateNewUser({ ...ok, username: 'zhang san' })).toEqual({ username: 'account.problem.username' });
    expect(validateNewUser({ ...ok, username: 'admin' }, ['admin'])).toEqual({ username: 'account.problem.taken' });
    expect(validateNewUser({ ...ok, password: '1234567' })).toEqual({ password: 'account.problem.short' });
    expect(validateNewUser({ ...ok, role: 'boss' })).toEqual({ role: 'account.problem.required' });
    expect(validateNewUser({ ...ok, role: 'village_officer' })).toEqual({ villages: 'account.problem.villages' });
    expect(validateNewUser({ ...ok, role: 'village_officer', villages: ['包集村'] })).toEqual({});
  });

  it('splits a wait into minutes and seconds, rounding up', () => {
    expect(waitParts(59.2)).toEqual({ minutes: 1, seconds: 0 });
    expect(waitParts(125)).toEqual({ minutes: 2, seconds: 5 });
    expect(waitParts(-3)).toEqual({ minutes: 0, seconds: 0 });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterSeconds('Mon, 23 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSeconds('Mon, 23 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });
});

describe('the audit log as changes', () => {
  const garbage = findCollection('garbage_points')!;
  const feature = (properties: Record<string, unknown>, coordinates = [117.2, 32.95]) => ({ type: 'Feature', id: 7, geometry: { type: 'Point', coordinates }, properties });

  it('lists the fields an update changed, in the layer\'s order, without bookkeeping fields', () => {
    const before = feature({ category: 'domestic', status: 'reported', volume_t: 1.5, updated_at: '2026-11-01T00:00:00Z' });
    const after = feature({ category: 'domestic', status: 'cleared', volume_t: 2, updated_at: '2026-11-02T00:00:00Z' });
    const changes = auditChanges({ before, after }, garbage);
    expect(changes).toEqual([
      { field: 'status', before: 'reported', after: 'cleared' },
      { field: 'volume_t', before: 1.5, after: 2 },
    ]);
    expect(formatChangeValue(garbage, 'status', 'cleared', 'zh')).toBe('已清运');
    expect(formatChangeValue(garbage, 'status', 'cleared', 'en')).toBe('Cleared');
    expect(formatChangeValue(garbage, 'volume_t', 2, 'zh')).toBe('2 吨');
    expect(formatChangeValue(garbage, 'cleared_at', null, 'zh')).toBe('—');
  });

  it('notices a moved geometry, and lists what a creation set and a deletion removed', () => {
    const a = feature({ status: 'reported' });
    const moved = feature({ status: 'reported' }, [117.3, 32.9]);
    expect(auditChanges({ before: a, after: moved }, garbage)).toEqual([{ field: 'geometry', before: a.geometry, after: moved.geometry }]);
    expect(formatChangeValue(garbage, 'geometry', moved.geometry, 'en')).toBe('Point');
    const created = auditChanges({ before: null, after: feature({ category: 'domestic', status: 'reported', cleared_at: null }) }, garbage);
    expect(created.map((c) => c.field)).toEqual(['category', 'status', 'geometry']);
    const deleted = auditChanges({ before: a, after: null }, garbage);
    expect(deleted.map((c) => c.field)).toEqual(['status', 'geometry']);
  });

  it('reads plain rows too (a user\'s entry) with unknown fields sorted by name', () => {
    const changes = auditChanges({ before: { username: 'li', role: 'viewer', villages: [], disabled: false }, after: { username: 'li', role: 'inspector', villages: ['包集村'], disabled: false } });
    expect(changes).toEqual([
      { field: 'role', before: 'viewer', after: 'inspector' },
      { field: 'villages', before: [], after: ['包集村'] },
    ]);
    expect(auditChanges({ before: null, after: null })).toEqual([]);
  });

  it('builds the query of the log: days at Shanghai midnight, the end day included', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    const q = new URLSearchParams(auditQuery({ user: 'inspector', collection: 'garbage_points', action: 'update', from: '2026-11-01', to: '2026-11-30' }, 25, 50));
    expect(Object.fromEntries(q)).toEqual({
      user: 'inspector', collection: 'garbage_points', action: 'update',
      from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00', limit: '25', offset: '50',
    });
    expect(auditQuery({ from: 'yesterday', user: '' }, 10, 0)).toBe('limit=10&offset=0');
  });

  it('reads a page of the log and says what the pager may do', () => {
    const e = { id: 1, at: '2026-11-23T01:00:00Z', username: 'admin', action: 'update', collection: 'roads', feature_id: 3, before: null, after: null };
    expect(readAuditPage({ numberMatched: 60, numberReturned: 1, entries: [e] })).toEqual({ entries: [e], total: 60 });
    expect(readAuditPage([e])).toEqual({ entries: [e] });
    expect(pageInfo(0, 25, 25, 60)).toEqual({ first: 1, last: 25, hasPrev: false, hasNext: true });
    expect(pageInfo(50, 10, 25, 60)).toEqual({ first: 51, last: 60, hasPrev: true, hasNext: false });
    expect(pageInfo(0, 0, 25, 0)).toEqual({ first: 0, last: 0, hasPrev: false, hasNext: false });
    expect(pageInfo(25, 25, 25)).toMatchObject({ hasNext: true });
  });
});

describe('requests and the session', () => {
  const calls: { url: string; headers: Headers; method: string }[] = [];
  let answer: () => Response;
  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, headers: new Headers(init.headers), method: init.method ?? 'GET' });
      return answer();
    });
    useSessionStore.setState({ status: 'signedIn', user: { username: 'inspector', role: 'inspector', villages: [] }, csrfToken: 'tok-123', expired: false });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('sends the CSRF token on writes and not on reads', async () => {
    answer = () => new Response('{}', { status: 200 });
    await api('/api/collections/garbage_points/items/1', { method: 'PATCH', json: { properties: {} } });
    await api('/api/collections/garbage_points/items/1', { method: 'DELETE' });
    await api('/api/collections');
    expect(calls.map((c) => [c.method, c.headers.get('X-CSRF-Token')])).toEqual([['PATCH', 'tok-123'], ['DELETE', 'tok-123'], ['GET', null]]);
  });

  it('goes back to the login page when a request says 401, and remembers the session ended', async () => {
    answer = () => new Response(JSON.stringify({ error: 'unauthorized', message: 'sign in' }), { status: 401 });
    await expect(api('/api/collections')).rejects.toMatchObject({ status: 401 });
    expect(useSessionStore.getState()).toMatchObject({ status: 'signedOut', user: null, csrfToken: null, expired: true });
  });

  it('keeps the session when the 401 is the answer to a sign-in or a password check', async () => {
    answer = () => new Response(JSON.stringify({ error: 'unauthorized', message: 'wrong password' }), { status: 401 });
    await expect(api('/api/auth/login', { method: 'POST', json: {} })).rejects.toBeInstanceOf(ApiError);
    expect(useSessionStore.getState().status).toBe('signedIn');
  });

  it('keeps the server\'s message of a 403 and the wait of a 429', async () => {
    answer = () => new Response(JSON.stringify({ error: 'forbidden', message: 'inspectors may not change roads' }), { status: 403 });
    await expect(api('/api/collections/roads/items/1', { method: 'PATCH', json: {} })).rejects.toMatchObject({ status: 403, message: 'inspectors may not change roads' });
    expect(useSessionStore.getState().status).toBe('signedIn');
    answer = () => new Response(JSON.stringify({ error: 'too_many_requests', message: 'wait' }), { status: 429, headers: { 'Retry-After': '42' } });
    await expect(api('/api/auth/login', { method: 'POST', json: {} })).rejects.toMatchObject({ status: 429, retryAfterS: 42 });
  });
});
