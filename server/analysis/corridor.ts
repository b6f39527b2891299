/**
 * Corridor cleanliness per 1 km unit per month (corridor_units, migration 006) and the village
 * reward ledger: excellent km × reward per km, unqualified km × penalty per km.
 */
import type { Queryable } from '../db/index.js';
import { getSetting, type SettingValue } from '../settings/settings.js';
import type { Month, RoadRef } from './params.js';

interface UnitGrade {
  unit_id: number; road_id: number; road_code: string; k: number; length_m: number; village: string | null;
  open_points: number; open_point_days: number; max_open_days: number; grade: 'excellent' | 'qualified' | 'unqualified';
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function gradeUnits(db: Queryable, roads: RoadRef[], month: Month, corridor_m: number, grades: SettingValue<'corridor_grades'>, now: Date) {
  // A month still running is judged up to now, so open points are not counted into the future.
  const to = month.to > now ? now : month.to;
  const { rows } = await db.query<UnitGrade>(
    'SELECT * FROM corridor_units($1::bigint[], $2::timestamptz, $3::timestamptz, $4::float8, $5::jsonb) ORDER BY road_code, road_id, k',
    [roads.map((r) => r.id), month.from.toISOString(), to.toISOString(), corridor_m, JSON.stringify(grades)],
  );
  return rows;
}

function ledger(units: UnitGrade[], rewards: SettingValue<'corridor_rewards'>) {
  const byVillage = new Map<string | null, UnitGrade[]>();
  for (const u of units) byVillage.set(u.village, [...(byVillage.get(u.village) ?? []), u]);
  return [...byVillage].sort(([a], [b]) => (a ?? '').localeCompare(b ?? '', 'zh')).map(([village, us]) => {
    const km = (g: string) => us.filter((u) => u.grade === g).reduce((s, u) => s + u.length_m, 0) / 1000;
    const excellent = km('excellent');
    const unqualified = km('unqualified');
    const reward = round(excellent * rewards.reward_per_km);
    const penalty = round(unqualified * rewards.penalty_per_km);
    return {
      village,
      units: us.length,
      excellent_km: round(excellent, 3),
      qualified_km: round(km('qualified'), 3),
      unqualified_km: round(unqualified, 3),
      reward_yuan: reward,
      penalty_yuan: penalty,
      total_yuan: round(reward - penalty),
    };
  });
}

export async function corridor(db: Queryable, p: { roads: RoadRef[]; roadCodes: string[] | 'all'; month: Month; corridor_m: number; now?: Date }) {
  const grades = await getSetting(db, 'corridor_grades');
  const rewards = await getSetting(db, 'corridor_rewards');
  const units = await gradeUnits(db, p.roads, p.month, p.corridor_m, grades, p.now ?? new Date());
  return {
    parameters: { month: p.month.month, corridor_m: p.corridor_m, roads: p.roadCodes, grades, rewards, time_zone: 'Asia/Shanghai' },
    units: units.map((u) => ({
      road_code: u.road_code,
      stake: `K${u.k}+000`,
      length_m: round(u.length_m, 1),
      village: u.village,
      open_points: u.open_points,
      open_point_days: round(u.open_point_days, 2),
      max_open_days: round(u.max_open_days, 2),
      grade: u.grade,
    })),
    ledger: ledger(units, rewards),
  };
}

/** The ledger summed over months (each month graded on its own). */
export async function rewardsOver(db: Queryable, p: { roads: RoadRef[]; roadCodes: string[] | 'all'; months: Month[]; corridor_m: number; now?: Date }) {
  const grades = await getSetting(db, 'corridor_grades');
  const rewards = await getSetting(db, 'corridor_rewards');
  const sums = new Map<string | null, { village: string | null; months: number; excellent_km: number; unqualified_km: number; reward_yuan: number; penalty_yuan: number; total_yuan: number }>();
  const perMonth = [];
  for (const month of p.months) {
    const rows = ledger(await gradeUnits(db, p.roads, month, p.corridor_m, grades, p.now ?? new Date()), rewards);
    perMonth.push({ month: month.month, ledger: rows });
    for (const r of rows) {
      const s = sums.get(r.village) ?? { village: r.village, months: 0, excellent_km: 0, unqualified_km: 0, reward_yuan: 0, penalty_yuan: 0, total_yuan: 0 };
      s.months++;
      s.excellent_km = round(s.excellent_km + r.excellent_km, 3);
      s.unqualified_km = round(s.unqualified_km + r.unqualified_km, 3);
      s.reward_yuan = round(s.reward_yuan + r.reward_yuan);
      s.penalty_yuan = round(s.penalty_yuan + r.penalty_yuan);
      s.total_yuan = round(s.total_yuan + r.total_yuan);
      sums.set(r.village, s);
    }
  }
  return {
    parameters: { from: p.months[0].month, to: p.months[p.months.length - 1].month, corridor_m: p.corridor_m, roads: p.roadCodes, grades, rewards, time_zone: 'Asia/Shanghai' },
    villages: [...sums.values()],
    months: perMonth,
  };
}
