/**
 * Rectification notices (整改通知): creation (numbers, deadlines per category, bad input refused
 * with nothing changed), the lifecycle with its roles, the re-check geofence, overdue in
 * Asia/Shanghai, the list per village and the printed PDF. Findings and photos are made by SQL
 * (test/helpers/workflow.ts).
 */
import { describe, it, expect, beforeAll, beforeEach, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { testApp, userWithToken, withAuthorization, json, TEST_LIMITS } from '../helpers/app.js';
import { insertFinding, insertPhoto, insertRoad, insertVillage, resetWorkflow, M } from '../helpers/workflow.js';
import type { Db } from '../../server/db/index.js';
import { createNotice, getNotice, listNotices, transitionNotice, type NoticeUser } from '../../server/notices/notices.js';
import { addDays } from '../../server/notices/lifecycle.js';
import { shanghaiToday } from '../../server/collections/properties.js';
import { pdfText, pdfPagePngs } from '../helpers/pdf.js';

const LON = 117.1;
const LAT = 33.0;
const BAOJI = '包集村';
const SHISHAN = '石山村';

let app: FastifyInstance;
let db: Db;
let dataDir: string;
const auth: Record<string, string> = {};

beforeAll(async () => {
  const t = await testApp();
  await t.app.close();
  db = t.db;
  dataDir = mkdtempSync(join(tmpdir(), 'remap-notices-'));
  app = withAuthorization(await buildApp(db, { ...TEST_LIMITS, logLevel: 'silent', clientDir: null, dataDir }), t.adminAuth);
  auth.admin = t.adminAuth;
  auth.inspector = await userWithToken(db, 'insp', 'inspector');
  auth.planner = await userWithToken(db, 'plan', 'planner');
  auth.viewer = await userWithToken(db, 'view', 'viewer');
  auth.village = await userWithToken(db, 'baoji-officer', 'village_officer', 'pw-baoji-officer', [BAOJI]);
  auth.otherVillage = await userWithToken(db, 'shishan-officer', 'village_officer', 'pw-shishan-officer', [SHISHAN]);
  await insertVillage(db, BAOJI, [[LON - 0.01, LAT - 0.01], [LON + 0.01, LAT - 0.01], [LON + 0.01, LAT + 0.01], [LON - 0.01, LAT + 0.01], [LON - 0.01, LAT - 0.01]]);
  await insertRoad(db, 'S225', [[LON - 0.02, LAT], [LON + 0.02, LAT + 0.001]]);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await resetWorkflow(db);
});

const as = (who: string, body?: unknown) => ({ headers: { authorization: auth[who], ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, payload: body === undefined ? undefined : JSON.stringify(body) });
const post = (url: string, body: unknown, who = 'admin') => app.inject({ method: 'POST', url, ...as(who, body) });
const move = (id: number, body: Record<string, unknown>, who: string) => post(`/api/notices/${id}/transitions`, body, who);

/** Everything a refused request must leave as it was. */
async function snapshot() {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    notices: await q('SELECT id, number, status, deadline::text, closed_at, version FROM notices ORDER BY id'),
    links: await q('SELECT notice_id, finding_id, deadline::text FROM notice_findings ORDER BY 1, 2'),
    events: await q('SELECT count(*)::int AS n FROM notice_events'),
    findings: await q('SELECT id, status, version FROM findings ORDER BY id'),
    history: await q('SELECT count(*)::int AS n FROM status_events'),
    counters: await q('SELECT year, last FROM notice_numbers ORDER BY year'),
    audit: await q("SELECT count(*)::int AS n FROM audit_log WHERE collection = 'notices'"),
  };
}

async function expectRefused(res: { statusCode: number; json(): { error: string; message: string } }, status: number, message: RegExp, before: unknown) {
  expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
  expect(res.json().message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

const today = () => shanghaiToday();
const near = (metresEast: number, metresNorth = 0) => ({ lon: LON + metresEast * M.lon, lat: LAT + metresNorth * M.lat });

describe('creating a notice', () => {
  it('groups open findings of one village with a deadline per category, a number, and moves the findings to notice_issued', async () => {
    const a = await insertFinding(db, { ...near(0), village: BAOJI, category: 'roadside_garbage' });
    const b = await insertFinding(db, { ...near(300), village: BAOJI, category: 'prohibited_structure' });
    const res = await post('/api/notices', { village: BAOJI, finding_ids: [a, b] }, 'inspector');
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json();
    const year = Number(today().slice(0, 4));
    expect(n.number).toBe(`整改〔${year}〕第001号`);
    expect(res.headers.location).toBe(`/api/notices/${n.id}`);
    expect(n).toMatchObject({ village: BAOJI, status: 'issued', issued_by: 'insp', overdue: false });
    expect(n.findings.map((f: { id: number; deadline: string; status: string }) => [f.id, f.deadline, f.status])).toEqual([
      [a, addDays(today(), 3), 'notice_issued'],
      [b, addDays(today(), 30), 'notice_issued'],
    ]);
    expect(n.deadline).toBe(addDays(today(), 30));
    expect(n.events).toMatchObject([{ from_status: null, to_status: 'issued', by_user: 'insp' }]);
    const history = await db.query('SELECT feature_id, from_status, to_status, by_user FROM status_events ORDER BY feature_id');
    expect(history.rows).toEqual([
      { feature_id: a, from_status: 'open', to_status: 'notice_issued', by_user: 'insp' },
      { feature_id: b, from_status: 'open', to_status: 'notice_issued', by_user: 'insp' },
    ]);
    const audit = await db.query<{ username: string; action: string }>("SELECT username, action FROM audit_log WHERE collection = 'notices'");
    expect(audit.rows).toEqual([{ username: 'insp', action: 'create' }]);

    const c = await insertFinding(db, { ...near(50), village: BAOJI });
    const second = await post('/api/notices', { village: BAOJI, finding_ids: [c], deadline: addDays(today(), 10) }, 'planner');
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().number).toBe(`整改〔${year}〕第002号`);
    expect(second.json().deadline).toBe(addDays(today(), 10));
    expect(second.json().findings[0].deadline).toBe(addDays(today(), 10));
  });

  it('offers the open findings of a village that no open notice holds, with the deadline each would get', async () => {
    const a = await insertFinding(db, { ...near(0), village: BAOJI, category: 'straw_pile' });
    const held = await insertFinding(db, { ...near(10), village: BAOJI });
    await insertFinding(db, { ...near(20), village: BAOJI, status: 'verified' });
    await insertFinding(db, { ...near(30), village: SHISHAN });
    expect((await post('/api/notices', { village: BAOJI, finding_ids: [held] })).statusCode).toBe(201);
    const res = await app.inject({ url: `/api/notices/candidates?village=${encodeURIComponent(BAOJI)}`, ...as('village') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ village: BAOJI, today: today() });
    expect(res.json().findings.map((f: { id: number; deadline: string }) => [f.id, f.deadline])).toEqual([[a, addDays(today(), 7)]]);
    const one = await app.inject(`/api/notices/${(await app.inject('/api/notices')).json().notices[0].id}`);
    expect(one.json().findings.map((f: { id: number }) => f.id)).toEqual([held]);
  });

  it('takes a deadline of today (Asia/Shanghai)', async () => {
    const a = await insertFinding(db, { ...near(0), village: BAOJI });
    const res = await post('/api/notices', { village: BAOJI, finding_ids: [a], deadline: today() });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().deadline).toBe(today());
  });

  it('refuses bad input with what is wrong, and changes nothing', async () => {
    const a = await insertFinding(db, { ...near(0), village: BAOJI });
    const other = await insertFinding(db, { ...near(20), village: SHISHAN });
    const held = await insertFinding(db, { ...near(40), village: BAOJI });
    const converted = await insertFinding(db, { ...near(60), village: BAOJI, status: 'converted' });
    expect((await post('/api/notices', { village: BAOJI, finding_ids: [held] })).statusCode).toBe(201);
    const before = await snapshot();

    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a], deadline: addDays(today(), -1) }), 422, new RegExp(`deadline ${addDays(today(), -1)} is in the past; today in Asia/Shanghai is ${today()}`), before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a], deadline: '2026-02-30' }), 422, /is not a date; give YYYY-MM-DD/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a, other] }), 422, new RegExp(`finding ${other} is in ${SHISHAN}, not in ${BAOJI}`), before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a, held] }), 409, new RegExp(`finding ${held} is already in the open notice 整改〔\\d{4}〕第001号`), before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [converted] }), 409, new RegExp(`only open findings can go on a notice: finding ${converted} is converted`), before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a, 9999] }), 422, /no finding with id 9999/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a, a] }), 422, /more than once/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [] }), 400, /finding_ids/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [1e20] }), 400, /finding_ids\/0 must be <= 9007199254740991/, before);
    await expectRefused(await post('/api/notices', { village: '   ', finding_ids: [a] }), 422, /village must not be empty/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a], color: 'red' }), 400, /unknown member color/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a] }, 'viewer'), 403, /viewer may not issue/, before);
    await expectRefused(await post('/api/notices', { village: BAOJI, finding_ids: [a] }, 'village'), 403, /village_officer may not issue/, before);
  });

  it('numbers notices created at the same time without gaps or repeats, and lets only one of two take a finding', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await insertFinding(db, { ...near(i * 10), village: BAOJI }));
    const results = await Promise.all(ids.slice(0, 5).map((id) => post('/api/notices', { village: BAOJI, finding_ids: [id] })));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const numbers = results.map((r) => r.json().number as string).sort();
    const year = today().slice(0, 4);
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => `整改〔${year}〕第00${n}号`));
    const race = await Promise.all([0, 1].map(() => post('/api/notices', { village: BAOJI, finding_ids: [ids[5]] })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await db.query('SELECT count(*)::int AS n FROM notice_findings WHERE finding_id = $1', [ids[5]])).rows[0]).toEqual({ n: 1 });
  });
});

describe('the lifecycle', () => {
  async function issued(points = [near(0)]) {
    const fs: number[] = [];
    for (const p of points) fs.push(await insertFinding(db, { ...p, village: BAOJI }));
    const res = await post('/api/notices', { village: BAOJI, finding_ids: fs }, 'inspector');
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id as number, findings: fs };
  }
  const findingStatuses = async (ids: number[]) => (await db.query<{ status: string }>('SELECT status FROM findings WHERE id = ANY($1::bigint[]) ORDER BY id', [ids])).rows.map((r) => r.status);

  it('runs issued → in_progress → reported_fixed → verified with the roles that may, keeping findings and history in step', async () => {
    const { id, findings } = await issued([near(0), near(15, 10)]);
    const after = await insertPhoto(db, { ...near(5) });
    const recheck = await insertPhoto(db, { ...near(8, 4) });

    let res = await move(id, { to: 'in_progress', note: '已安排保洁员' }, 'village');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('in_progress');
    // A note as long as allowed still fits the findings' history beside the notice number.
    res = await move(id, { to: 'reported_fixed', photo_id: after, note: '已清理'.padEnd(2000, '。') }, 'village');
    expect(res.statusCode, res.body).toBe(200);
    expect(await findingStatuses(findings)).toEqual(['reported_fixed', 'reported_fixed']);
    res = await move(id, { to: 'verified', photo_id: recheck }, 'inspector');
    expect(res.statusCode, res.body).toBe(200);
    const n = res.json();
    expect(n.status).toBe('verified');
    expect(n.closed_at).not.toBeNull();
    expect(await findingStatuses(findings)).toEqual(['verified', 'verified']);
    expect(n.events.map((e: { from_status: string; to_status: string; by_user: string; photo_id: number | null; note: string | null }) => [e.from_status, e.to_status, e.by_user, e.photo_id, e.note])).toEqual([
      [null, 'issued', 'insp', null, null],
      ['issued', 'in_progress', 'baoji-officer', null, '已安排保洁员'],
      ['in_progress', 'reported_fixed', 'baoji-officer', after, '已清理'.padEnd(2000, '。')],
      ['reported_fixed', 'verified', 'insp', recheck, null],
    ]);
    const history = await db.query<{ to_status: string; photo_id: number | null }>('SELECT to_status, photo_id FROM status_events WHERE feature_id = $1 ORDER BY id', [findings[0]]);
    expect(history.rows).toEqual([{ to_status: 'notice_issued', photo_id: null }, { to_status: 'reported_fixed', photo_id: after }, { to_status: 'verified', photo_id: recheck }]);
    // A verified notice no longer holds its findings; it is closed.
    await expectRefused(await move(id, { to: 'reopened' }, 'inspector'), 409, /a notice that is verified cannot become reopened; it is closed/, await snapshot());
  });

  it('refuses transitions the lifecycle does not allow (409 saying why) and changes nothing', async () => {
    const { id } = await issued();
    const photo = await insertPhoto(db, { ...near(1) });
    const before = await snapshot();
    await expectRefused(await move(id, { to: 'reported_fixed', photo_id: photo }, 'village'), 409, /a notice that is issued cannot become reported_fixed; it may become in_progress/, before);
    await expectRefused(await move(id, { to: 'verified', photo_id: photo }, 'inspector'), 409, /a notice that is issued cannot become verified/, before);
    await expectRefused(await move(id, { to: 'issued' }, 'admin'), 409, /cannot become issued/, before);
    await expectRefused(await move(id, { to: 'closed' }, 'admin'), 400, /to/, before);
    await expectRefused(await move(9999, { to: 'in_progress' }, 'admin'), 404, /no notice with id 9999/, before);
  });

  it('lets each role do only its part (403 naming the role), village officers only on their own villages', async () => {
    const { id } = await issued();
    const photo = await insertPhoto(db, { ...near(1) });
    const before = await snapshot();
    await expectRefused(await move(id, { to: 'in_progress' }, 'otherVillage'), 403, new RegExp(`village_officer may act only on notices of its own villages \\(${SHISHAN}\\), not of ${BAOJI}`), before);
    await expectRefused(await move(id, { to: 'in_progress' }, 'inspector'), 403, /the role inspector may not move a notice to in_progress; admin, village_officer may/, before);
    await expectRefused(await move(id, { to: 'in_progress' }, 'viewer'), 403, /viewer may not change rectification notices/, before);
    expect((await move(id, { to: 'in_progress' }, 'village')).statusCode).toBe(200);
    expect((await move(id, { to: 'reported_fixed', photo_id: photo }, 'village')).statusCode).toBe(200);
    const fixed = await snapshot();
    await expectRefused(await move(id, { to: 'verified', photo_id: photo }, 'village'), 403, /village_officer may not move a notice to verified/, fixed);
    await expectRefused(await move(id, { to: 'reopened' }, 'village'), 403, /village_officer may not move a notice to reopened/, fixed);
    expect((await move(id, { to: 'verified', photo_id: photo }, 'planner')).statusCode).toBe(200);
  });

  it('needs an "after" photo to report a fix', async () => {
    const { id } = await issued();
    await move(id, { to: 'in_progress' }, 'village');
    const before = await snapshot();
    const noPhoto = await move(id, { to: 'reported_fixed' }, 'village');
    await expectRefused(noPhoto, 409, /needs an "after" photo/, before);
    expect(noPhoto.json().error).toBe('after_photo_required');
    await expectRefused(await move(id, { to: 'reported_fixed', photo_id: 777 }, 'village'), 422, /no photo with id 777/, before);
  });

  it('verifies only with a re-check photo within recheck_geofence_m of every finding, and the setting moves the fence', async () => {
    const { id, findings } = await issued([near(0), near(400)]);
    const a = await insertPhoto(db, { ...near(0, 25) }); // 25 m from the first finding
    const farA = await insertPhoto(db, { ...near(0, 45) }); // 45 m
    const b = await insertPhoto(db, { ...near(410) }); // 10 m from the second
    const blind = await insertPhoto(db, { lon: null, lat: null });
    await move(id, { to: 'in_progress' }, 'village');
    await move(id, { to: 'reported_fixed', photo_id: a }, 'village');
    const before = await snapshot();
    // Each refusal has its own code, which the client says in Chinese (lib/reasons.ts).
    const none = await move(id, { to: 'verified' }, 'inspector');
    await expectRefused(none, 409, /needs a re-check photo/, before);
    expect(none.json().error).toBe('recheck_photo_required');
    const unplaced = await move(id, { to: 'verified', photo_id: blind }, 'inspector');
    await expectRefused(unplaced, 409, /has no position/, before);
    expect(unplaced.json().error).toBe('recheck_no_position');
    const one = await move(id, { to: 'verified', photo_id: a }, 'inspector');
    await expectRefused(one, 409, new RegExp(`within 30 m of each finding; finding ${findings[1]} is 40[01] m from the nearest photo`), before);
    expect(one.json().error).toBe('recheck_too_far');
    expect(one.json().details).toEqual([{ finding_id: findings[1], nearest_photo_id: a, distance_m: expect.closeTo(401, 0), fence_m: 30 }]);
    await expectRefused(await move(id, { to: 'verified', photo_ids: [farA, b] }, 'inspector'), 409, new RegExp(`finding ${findings[0]} is 45 m from the nearest photo`), before);

    const put = await app.inject({ method: 'PUT', url: '/api/settings/recheck_geofence_m', ...json(50) });
    expect(put.statusCode, put.body).toBe(200);
    const ok = await move(id, { to: 'verified', photo_ids: [farA, b] }, 'inspector');
    expect(ok.statusCode, ok.body).toBe(200);
    const history = await db.query<{ feature_id: number; photo_id: number }>("SELECT feature_id, photo_id FROM status_events WHERE to_status = 'verified' ORDER BY feature_id");
    expect(history.rows).toEqual([{ feature_id: findings[0], photo_id: farA }, { feature_id: findings[1], photo_id: b }]);
  });

  it('reopens a reported fix: the findings go back to notice_issued and the village works on it again', async () => {
    const { id, findings } = await issued();
    const photo = await insertPhoto(db, { ...near(3) });
    await move(id, { to: 'in_progress' }, 'village');
    await move(id, { to: 'reported_fixed', photo_id: photo }, 'village');
    const res = await move(id, { to: 'reopened', note: '现场仍有垃圾' }, 'inspector');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'reopened', closed_at: null });
    expect(await findingStatuses(findings)).toEqual(['notice_issued']);
    // Still an open notice: its finding cannot go on another one.
    const again = await post('/api/notices', { village: BAOJI, finding_ids: findings });
    expect(again.statusCode).toBe(409);
    expect((await move(id, { to: 'reported_fixed', photo_id: photo }, 'village')).statusCode).toBe(200);
    expect((await move(id, { to: 'verified', photo_id: photo }, 'inspector')).statusCode).toBe(200);
  });
});

describe('overdue (Asia/Shanghai days)', () => {
  const inspector: NoticeUser = { username: 'insp', role: 'inspector', villages: [] };

  it('is overdue from the day after the deadline in Shanghai, across a month end', async () => {
    const f = await insertFinding(db, { ...near(0), village: BAOJI, category: 'roadside_garbage' });
    // 2026-01-28 18:00 in Shanghai: 3 days → deadline 2026-01-31.
    const id = await db.transaction((tx) => createNotice(tx, inspector, { village: BAOJI, finding_ids: [f] }, new Date('2026-01-28T10:00:00Z')));
    const n = await getNotice(db, id, new Date('2026-01-28T10:00:00Z'));
    expect(n.deadline).toBe('2026-01-31');
    expect(n.number).toBe('整改〔2026〕第001号');
    // 2026-01-31 23:59:59 in Shanghai: the last day, not overdue.
    expect((await getNotice(db, id, new Date('2026-01-31T15:59:59Z'))).overdue).toBe(false);
    // 2026-01-31 16:00 UTC is already 2026-02-01 in Shanghai: overdue, the notice and its finding.
    const late = await getNotice(db, id, new Date('2026-01-31T16:00:00Z'));
    expect(late.overdue).toBe(true);
    expect(late.findings[0].overdue).toBe(true);
    const list = await listNotices(db, { overdue: true, limit: 10, offset: 0 }, new Date('2026-01-31T16:00:00Z'));
    expect(list.notices.map((x) => x.id)).toEqual([id]);
    expect(list.villages).toEqual([{ village: BAOJI, open: 1, overdue: 1 }]);
    expect((await listNotices(db, { overdue: true, limit: 10, offset: 0 }, new Date('2026-01-31T15:59:59Z'))).notices).toEqual([]);
    // Reported fixed: the village has done its part; no longer overdue.
    const photo = await insertPhoto(db, { ...near(1) });
    const officer: NoticeUser = { username: 'baoji-officer', role: 'village_officer', villages: [BAOJI] };
    await db.transaction((tx) => transitionNotice(tx, officer, id, { to: 'in_progress' }, new Date('2026-02-02T01:00:00Z')));
    expect((await getNotice(db, id, new Date('2026-02-02T01:00:00Z'))).overdue).toBe(true);
    await db.transaction((tx) => transitionNotice(tx, officer, id, { to: 'reported_fixed', photo_id: photo }, new Date('2026-02-02T01:00:00Z')));
    expect((await getNotice(db, id, new Date('2026-02-03T01:00:00Z'))).overdue).toBe(false);
  });

  it('takes the day, year and number of a notice made at a UTC instant that is already the next day in Shanghai', async () => {
    const f = await insertFinding(db, { ...near(0), village: BAOJI, category: 'overflowing_pool' });
    // 2026-12-31 16:30 UTC = 2027-01-01 00:30 in Shanghai: 2 days → 2027-01-03, numbered in 2027.
    const at = new Date('2026-12-31T16:30:00Z');
    const id = await db.transaction((tx) => createNotice(tx, inspector, { village: BAOJI, finding_ids: [f] }, at));
    const n = await getNotice(db, id, at);
    expect(n).toMatchObject({ number: '整改〔2027〕第001号', deadline: '2027-01-03', overdue: false });
    // A deadline of 2026-12-31 is already in the past there.
    const g = await insertFinding(db, { ...near(10), village: BAOJI });
    await expect(db.transaction((tx) => createNotice(tx, inspector, { village: BAOJI, finding_ids: [g], deadline: '2026-12-31' }, at))).rejects.toThrow(/in the past; today in Asia\/Shanghai is 2027-01-01/);
    // February of a leap year: 2028-02-27 + 2 days = 2028-02-29.
    const h = await insertFinding(db, { ...near(20), village: BAOJI, category: 'overflowing_pool' });
    const leap = await db.transaction((tx) => createNotice(tx, inspector, { village: BAOJI, finding_ids: [h] }, new Date('2028-02-27T02:00:00Z')));
    expect((await getNotice(db, leap)).deadline).toBe('2028-02-29');
  });
});

describe('the list', () => {
  it('filters by village, status and overdue, and counts open and overdue notices per village', async () => {
    const a = await insertFinding(db, { ...near(0), village: BAOJI });
    const b = await insertFinding(db, { ...near(10), village: BAOJI });
    const c = await insertFinding(db, { ...near(20), village: SHISHAN });
    const n1 = (await post('/api/notices', { village: BAOJI, finding_ids: [a] })).json().id;
    await post('/api/notices', { village: BAOJI, finding_ids: [b] });
    await post('/api/notices', { village: SHISHAN, finding_ids: [c] });
    await move(n1, { to: 'in_progress' }, 'village');
    // An old notice, overdue now: its deadline moved into the past by SQL.
    await db.query("UPDATE notices SET deadline = CURRENT_DATE - 5 WHERE village = $1", [SHISHAN]);

    const all = await app.inject('/api/notices');
    expect(all.statusCode).toBe(200);
    expect(all.json().numberMatched).toBe(3);
    expect(all.json().villages).toEqual([{ village: BAOJI, open: 2, overdue: 0 }, { village: SHISHAN, open: 1, overdue: 1 }]);
    const baoji = await app.inject(`/api/notices?village=${encodeURIComponent(BAOJI)}&status=in_progress`);
    expect(baoji.json().notices.map((n: { id: number }) => n.id)).toEqual([n1]);
    expect(baoji.json().notices[0]).toMatchObject({ finding_count: 1, status: 'in_progress' });
    const overdue = await app.inject({ url: '/api/notices?overdue=true&status=open', ...as('viewer') });
    expect(overdue.json().notices.map((n: { village: string }) => n.village)).toEqual([SHISHAN]);
    const bad = await app.inject('/api/notices?status=done');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/"done" is not a notice status/);
    expect((await app.inject('/api/notices?overdue=maybe')).statusCode).toBe(400);
    const openapi = await app.inject('/api/openapi.json');
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json().paths).filter((p) => p.startsWith('/api/notices')).sort()).toEqual(['/api/notices', '/api/notices/candidates', '/api/notices/{id}', '/api/notices/{id}.pdf', '/api/notices/{id}/transitions']);
  });
});

describe('the printed notice', () => {
  it('is a PDF in Chinese with the number, village, categories, a map and the before photo (无照片 when its file is gone)', async () => {
    const withPhoto = await insertPhoto(db, { ...near(0), dataDir, color: '#c0392b' });
    const gone = await insertPhoto(db, { ...near(30) }); // no file under DATA_DIR/media
    const a = await insertFinding(db, { ...near(0), village: BAOJI, category: 'construction_waste', road_code: 'S225', stake: 'K3+200', description: '路边堆放建筑垃圾约2方', photo_ids: [withPhoto] });
    const b = await insertFinding(db, { ...near(300, 80), village: BAOJI, category: 'illegal_ad', photo_ids: [gone] });
    // Three more without photos: the notice runs over a page.
    const more: number[] = [];
    for (const [i, category] of (['straw_pile', 'damaged_bin', 'floating_debris'] as const).entries()) more.push(await insertFinding(db, { ...near([-200, -500, -850][i], 150), village: BAOJI, category }));
    const created = await post('/api/notices', { village: BAOJI, finding_ids: [a, b, ...more] });
    const n = created.json();
    const res = await app.inject({ url: `/api/notices/${n.id}.pdf`, ...as('viewer') });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain(n.number);
    expect(text).toContain(`${BAOJI}两委`);
    expect(text).toContain('建筑垃圾');
    expect(text).toContain('违规广告');
    expect(text).toContain('K3+200');
    expect(text).toContain('无照片');
    expect(text.match(/无照片/g)).toHaveLength(4);
    expect(text).toContain('水面漂浮物');
    expect(text).toContain('签收日期');
    mkdirSync('test/api/artifacts', { recursive: true });
    writeFileSync('test/api/artifacts/notice.pdf', res.rawPayload);
    // The pages as pictures to look at.
    await pdfPagePngs(res.rawPayload, (page) => `test/api/artifacts/notice-p${page}.png`);
    expect((await app.inject('/api/notices/424242.pdf')).statusCode).toBe(404);
  });
});
