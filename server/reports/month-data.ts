/**
 * The month's figures per village that the ranking and the monthly report share, read from the
 * workflow tables (migration 012) and the layers. Corridor grades and setback compliance come
 * from the existing analyses (analysis/corridor.ts, analysis/setback.ts), called, not copied.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { corridor } from '../analysis/corridor.js';
import { setback, SETBACK_STATUSES } from '../analysis/setback.js';
import type { Month, RoadRef } from '../analysis/params.js';
import { shanghaiToday } from '../collections/properties.js';

/** The corridor width the ranking and the report grade with (the corridor analysis' default). */
export const CORRIDOR_M = 30;

/** The first day of the month and of the next, as Asia/Shanghai dates (YYYY-MM-DD). */
export function monthDays(month: Month): { first: string; next: string } {
  const [y, m] = month.month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { first: `${month.month}-01`, next };
}

/** The end of a month as judged: its end, or now while it runs; and that instant's Asia/Shanghai day. */
export function judgedEnd(month: Month, now: Date): { end: Date; day: string } {
  const end = month.to > now ? now : month.to;
  return { end, day: shanghaiToday(end) };
}

export async function villageList(db: Queryable): Promise<{ name: string; township: string }[]> {
  return (await db.query<{ name: string; township: string }>(sqlFile('reports/villages'))).rows;
}

export async function allRoads(db: Queryable): Promise<RoadRef[]> {
  return (await db.query<RoadRef>('SELECT id, code, name, class, width_m FROM roads ORDER BY code, id')).rows;
}

export async function corridorLedger(db: Queryable, month: Month, now: Date) {
  const roads = await allRoads(db);
  const result = await corridor(db, { roads, roadCodes: 'all', month, corridor_m: CORRIDOR_M, now });
  return { parameters: result.parameters, ledger: result.ledger };
}

export async function setbackByVillage(db: Queryable) {
  const roads = await allRoads(db);
  const { report } = await setback(db, { roads, roadCodes: 'all', reference: 'centerline', village: null, statuses: SETBACK_STATUSES });
  return { parameters: report.parameters, villages: report.villages };
}

export interface NoticeRow { village: string; notices: number; issued: number; closed: number; open_notices: number; overdue_notices: number }
export interface FindingRow { village: string | null; category: string; found: number; repeats: number }

export async function noticesByVillage(db: Queryable, month: Month, now: Date): Promise<NoticeRow[]> {
  const { end, day } = judgedEnd(month, now);
  return (await db.query<NoticeRow>(sqlFile('reports/notices_by_village'), [month.from.toISOString(), end.toISOString(), day])).rows;
}

export async function findingsByVillage(db: Queryable, month: Month): Promise<FindingRow[]> {
  return (await db.query<FindingRow>(sqlFile('reports/findings_by_village'), [month.from.toISOString(), month.to.toISOString()])).rows;
}
