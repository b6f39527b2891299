/**
 * Rectification notices (整改通知): create one from open findings of a village, move it through its
 * life (lifecycle.ts) keeping its findings' status and history in step, read one and list them.
 * Every write runs in one transaction with its audit entry; a refusal changes nothing.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { conflict, HttpError, notFound, unprocessable } from '../errors.js';
import { appendAudit, type Actor } from '../audit/log.js';
import { getSetting, type FindingCategory } from '../settings/settings.js';
import { noticeTransitionRefusal, type Role } from '../auth/policy.js';
import { addDays, FINDING_STATUS_FOR, noticeNumber, transitionRefusal, type NoticeStatus } from './lifecycle.js';

export interface NoticeUser {
  username: string;
  role: Role;
  villages: readonly string[];
}

export interface NewNotice {
  village: string;
  finding_ids: number[];
  deadline?: string;
  note?: string;
}

export interface Transition {
  to: NoticeStatus;
  photo_id?: number;
  /** Re-check photos when one photo cannot show every finding (each finding needs one within the geofence). */
  photo_ids?: number[];
  note?: string;
}

const actor = (u: NoticeUser): Actor => ({ username: u.username, role: u.role });
const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/** The calendar day and year in Asia/Shanghai of an instant, as the database computes them. */
export async function shanghaiToday(q: Queryable, at: Date): Promise<{ today: string; year: number }> {
  const { rows } = await q.query<{ today: string; year: number }>(sqlFile('notices/today'), [at.toISOString()]);
  return rows[0];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
function validDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export async function createNotice(q: Queryable, user: NoticeUser, input: NewNotice, at = new Date()): Promise<number> {
  const village = input.village.trim();
  if (!village) throw unprocessable('invalid_notice', 'village must not be empty', [{ parameter: 'village', message: 'name the village the notice goes to' }]);
  const ids = [...new Set(input.finding_ids)];
  if (!ids.length) throw unprocessable('invalid_notice', 'finding_ids must list at least one finding', [{ parameter: 'finding_ids', message: 'give the ids of open findings of the village' }]);
  if (ids.length !== input.finding_ids.length) throw unprocessable('invalid_notice', 'finding_ids lists a finding more than once', [{ parameter: 'finding_ids', message: 'list each finding once' }]);
  const { today, year } = await shanghaiToday(q, at);
  if (input.deadline !== undefined) {
    if (!validDay(input.deadline)) throw unprocessable('invalid_notice', `deadline ${JSON.stringify(input.deadline)} is not a date; give YYYY-MM-DD (a day in Asia/Shanghai)`, [{ parameter: 'deadline', message: 'must be a date YYYY-MM-DD' }]);
    if (input.deadline < today) throw unprocessable('invalid_notice', `deadline ${input.deadline} is in the past; today in Asia/Shanghai is ${today}`, [{ parameter: 'deadline', message: `must be ${today} or later` }]);
  }

  const { rows: found } = await q.query<{ id: number; category: FindingCategory; status: string; village: string | null; open_notice: string | null }>(sqlFile('notices/lock_findings'), [ids]);
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw unprocessable('invalid_notice', `no finding with id ${missing.join(', ')}`, missing.map((id) => ({ finding_id: id, message: 'no such finding' })));
  const elsewhere = found.filter((f) => f.village !== village);
  if (elsewhere.length) {
    throw unprocessable('invalid_notice', `a notice holds findings of one village: finding ${elsewhere.map((f) => `${f.id} is in ${f.village ?? 'no village'}`).join(', ')}, not in ${village}`,
      elsewhere.map((f) => ({ finding_id: f.id, message: `in ${f.village ?? 'no village'}, not ${village}` })));
  }
  const held = found.filter((f) => f.open_notice !== null);
  if (held.length) {
    throw conflict(`finding ${held.map((f) => `${f.id} is already in the open notice ${f.open_notice}`).join(', ')}`,
      held.map((f) => ({ finding_id: f.id, message: `already in ${f.open_notice}` })));
  }
  const notOpen = found.filter((f) => f.status !== 'open');
  if (notOpen.length) {
    throw conflict(`only open findings can go on a notice: finding ${notOpen.map((f) => `${f.id} is ${f.status}`).join(', ')}`,
      notOpen.map((f) => ({ finding_id: f.id, message: `status ${f.status}` })));
  }

  const days = await getSetting(q, 'notice_deadline_days');
  const deadlines = found.map((f) => input.deadline ?? addDays(today, days[f.category]));
  const deadline = deadlines.reduce((a, b) => (b > a ? b : a));
  const { rows: [{ last }] } = await q.query<{ last: number }>(sqlFile('notices/next_number'), [year]);
  const number = noticeNumber(year, last);
  const { rows: [{ id }] } = await q.query<{ id: number }>(sqlFile('notices/insert'), [number, village, deadline, at.toISOString(), user.username, input.note ?? null]);
  await q.query(sqlFile('notices/insert_findings'), [id, found.map((f) => f.id), deadlines]);
  await q.query(sqlFile('notices/insert_event'), [id, null, 'issued', at.toISOString(), user.username, null, input.note ?? null]);
  await q.query(sqlFile('notices/set_findings_status'), [found.map((f) => f.id), 'notice_issued', user.username, found.map(() => null), `${number}`, at.toISOString()]);
  await appendAudit(q, actor(user), { action: 'create', collection: 'notices', featureId: id, after: { number, village, deadline, findings: found.map((f, i) => ({ id: f.id, deadline: deadlines[i] })) } });
  return id;
}

interface PhotoRow { id: number; lon: number | null; lat: number | null }

export async function transitionNotice(q: Queryable, user: NoticeUser, id: number, t: Transition, at = new Date()): Promise<void> {
  const { rows } = await q.query<{ id: number; number: string; village: string; status: NoticeStatus }>(sqlFile('notices/lock'), [id]);
  const notice = rows[0];
  if (!notice) throw notFound(`no notice with id ${id}`);
  const who = noticeTransitionRefusal(user, notice.village, t.to);
  if (who) throw forbidden(who);
  const refusal = transitionRefusal(notice.status, t.to);
  if (refusal) throw conflict(`${notice.number}: ${refusal}`, [{ from: notice.status, to: t.to }]);

  const photoIds = [...new Set([...(t.photo_id !== undefined ? [t.photo_id] : []), ...(t.photo_ids ?? [])])];
  const photos = photoIds.length ? (await q.query<PhotoRow>(sqlFile('notices/photos'), [photoIds])).rows : [];
  const unknown = photoIds.filter((p) => !photos.some((r) => r.id === p));
  if (unknown.length) throw unprocessable('invalid_transition', `no photo with id ${unknown.join(', ')}; upload it first with POST /api/photos`, unknown.map((p) => ({ photo_id: p, message: 'no such photo' })));

  const { rows: findings } = await q.query<{ id: number }>(sqlFile('notices/findings'), [id, at.toISOString()]);
  // The photo each finding's history shows (the re-check photo nearest to it, else the one given).
  let photoOf = new Map<number, number | null>(findings.map((f) => [f.id, photoIds[0] ?? null]));
  if (t.to === 'reported_fixed' && !photoIds.length) {
    throw new HttpError(409, 'after_photo_required', `${notice.number}: reporting a fix needs an "after" photo: upload it with POST /api/photos and send its id as photo_id`);
  }
  if (t.to === 'verified') {
    if (!photoIds.length) throw new HttpError(409, 'recheck_photo_required', `${notice.number}: verifying needs a re-check photo taken within the geofence of each finding; send photo_id (or photo_ids)`);
    const located = photos.filter((p) => p.lon !== null);
    if (!located.length) throw new HttpError(409, 'recheck_no_position', `${notice.number}: photo ${photoIds.join(', ')} has no position (no GPS in its EXIF and none from the device); take the re-check photo with location on`);
    const fence = await getSetting(q, 'recheck_geofence_m');
    const { rows: dist } = await q.query<{ finding_id: number; photo_id: number; distance_m: number }>(sqlFile('notices/photo_distances'), [id, photoIds]);
    photoOf = new Map();
    const far: { finding_id: number; nearest_photo_id: number; distance_m: number; fence_m: number }[] = [];
    for (const f of findings) {
      const mine = dist.filter((d) => d.finding_id === f.id).sort((a, b) => a.distance_m - b.distance_m)[0];
      if (mine && mine.distance_m <= fence) photoOf.set(f.id, mine.photo_id);
      else far.push({ finding_id: f.id, nearest_photo_id: mine.photo_id, distance_m: Math.round(mine.distance_m), fence_m: fence });
    }
    if (far.length) {
      // Its own code (and the fence in each detail), so the inspector's phone says it in Chinese.
      throw new HttpError(409, 'recheck_too_far', `${notice.number}: a re-check photo must be taken within ${fence} m of each finding; ${far.map((x) => `finding ${x.finding_id} is ${x.distance_m} m from the nearest photo`).join(', ')}`, far);
    }
  }

  const iso = at.toISOString();
  await q.query(sqlFile('notices/update_status'), [id, t.to, iso]);
  await q.query(sqlFile('notices/insert_event'), [id, notice.status, t.to, iso, user.username, photoIds[0] ?? null, t.note ?? null]);
  const ids = findings.map((f) => f.id);
  await q.query(sqlFile('notices/set_findings_status'), [ids, FINDING_STATUS_FOR[t.to], user.username, ids.map((f) => photoOf.get(f) ?? null), (t.note ? `${notice.number}: ${t.note}` : notice.number).slice(0, 2000), iso]);
  await appendAudit(q, actor(user), { action: 'update', collection: 'notices', featureId: id, before: { status: notice.status }, after: { status: t.to, photo_ids: photoIds, note: t.note ?? null } });
}

export interface NoticeFinding {
  id: number; category: FindingCategory; status: string; description: string | null; village: string | null;
  road_code: string | null; stake: string | null; found_at: string; photo_ids: number[]; deadline: string; lon: number; lat: number; overdue: boolean;
}

const isoOf = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

export interface NoticeRow {
  id: number; number: string; village: string; status: NoticeStatus; deadline: string; issued_at: string; issued_by: string | null;
  closed_at: string | null; note: string | null; version: number; overdue: boolean;
}

export async function getNotice(q: Queryable, id: number, at = new Date()) {
  const { rows } = await q.query<NoticeRow>(sqlFile('notices/get'), [id, at.toISOString()]);
  if (!rows[0]) throw notFound(`no notice with id ${id}`);
  const n = rows[0];
  const { rows: findings } = await q.query<NoticeFinding>(sqlFile('notices/findings'), [id, at.toISOString()]);
  const { rows: events } = await q.query<Record<string, unknown>>(sqlFile('notices/events'), [id]);
  return {
    ...n,
    issued_at: isoOf(n.issued_at) as string,
    closed_at: isoOf(n.closed_at) as string | null,
    findings: findings.map((f) => ({ ...f, found_at: isoOf(f.found_at) as string, photo_ids: (f.photo_ids ?? []).map(Number) })),
    events: events.map((e) => ({ ...e, at: isoOf(e.at) })),
  };
}

export interface NoticeFilter {
  village?: string;
  statuses?: NoticeStatus[];
  overdue?: boolean;
  limit: number;
  offset: number;
}

export async function listNotices(q: Queryable, f: NoticeFilter, at = new Date()) {
  const { rows } = await q.query<Omit<NoticeRow, 'note'> & { finding_count: number; matched: number }>(sqlFile('notices/select'),
    [f.village ?? null, f.statuses ?? null, f.overdue ?? null, at.toISOString(), f.limit, f.offset]);
  const { rows: villages } = await q.query<{ village: string; open: number; overdue: number }>(sqlFile('notices/by_village'), [at.toISOString()]);
  return {
    as_of: at.toISOString(),
    numberMatched: rows[0]?.matched ?? 0,
    notices: rows.map(({ matched: _m, ...n }) => ({ ...n, issued_at: isoOf(n.issued_at) as string, closed_at: isoOf(n.closed_at) as string | null })),
    villages,
  };
}

/** Open findings of a village that a new notice may take, each with the deadline it would get today. */
export async function noticeCandidates(q: Queryable, village: string, at = new Date()) {
  const { today } = await shanghaiToday(q, at);
  const days = await getSetting(q, 'notice_deadline_days');
  const { rows } = await q.query<{ id: number; category: FindingCategory; description: string | null; road_code: string | null; stake: string | null; found_at: unknown; photo_ids: unknown[]; lon: number; lat: number }>(sqlFile('notices/candidates'), [village]);
  return {
    village,
    today,
    findings: rows.map((f) => ({ ...f, found_at: isoOf(f.found_at) as string, photo_ids: (f.photo_ids ?? []).map(Number), deadline: addDays(today, days[f.category]) })),
  };
}
