/**
 * The monthly work report (工作汇报): every figure of a month, for the township or one village,
 * computed from the data. GET /api/reports/monthly answers this as JSON; report-docx.ts and
 * report-pdf.ts print the same object.
 */
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import type { Month } from '../analysis/params.js';
import { corridorLedger, findingsByVillage, monthDays, noticesByVillage, villageList, judgedEnd } from './month-data.js';

/** The seeds' survival rule (per cent of the sample alive): pass from 85, replant at 40 and below. */
export const SURVIVAL_RULE = { pass_pct: 85, replant_max_pct: 40 };

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export interface VillageMonth {
  village: string | null;
  garbage_points_cleared: number;
  garbage_tons: number;
  findings: number;
  repeat_findings: number;
  notices_issued: number;
  notices_closed: number;
  notices_open: number;
  notices_overdue: number;
  structures_demolished: number;
  planted_mu: number;
  trees_planted: number;
  survival_checks: number;
  sample_planted: number;
  sample_alive: number;
  survival_pct: number | null;
  checks_passed: number;
  checks_gap_replant: number;
  checks_replant: number;
  excellent_km: number;
  qualified_km: number;
  unqualified_km: number;
  reward_yuan: number;
  penalty_yuan: number;
}

const empty = (village: string | null): VillageMonth => ({
  village, garbage_points_cleared: 0, garbage_tons: 0, findings: 0, repeat_findings: 0, notices_issued: 0, notices_closed: 0,
  notices_open: 0, notices_overdue: 0, structures_demolished: 0, planted_mu: 0, trees_planted: 0, survival_checks: 0,
  sample_planted: 0, sample_alive: 0, survival_pct: null, checks_passed: 0, checks_gap_replant: 0, checks_replant: 0,
  excellent_km: 0, qualified_km: 0, unqualified_km: 0, reward_yuan: 0, penalty_yuan: 0,
});

const SUMMED = ['garbage_points_cleared', 'garbage_tons', 'findings', 'repeat_findings', 'notices_issued', 'notices_closed', 'notices_open',
  'notices_overdue', 'structures_demolished', 'planted_mu', 'trees_planted', 'survival_checks', 'sample_planted', 'sample_alive',
  'checks_passed', 'checks_gap_replant', 'checks_replant', 'excellent_km', 'qualified_km', 'unqualified_km', 'reward_yuan', 'penalty_yuan'] as const;

export async function monthlyReport(db: Queryable, month: Month, village: string | null, now = new Date()) {
  const villages = await villageList(db);
  const township = [...new Set(villages.map((v) => v.township))].join('、') || '本镇';
  const days = monthDays(month);
  const from = month.from.toISOString();
  const to = month.to.toISOString();

  const rows = new Map<string | null, VillageMonth>(villages.map((v) => [v.name, empty(v.name)]));
  const row = (name: string | null) => {
    let r = rows.get(name);
    if (!r) rows.set(name, (r = empty(name)));
    return r;
  };

  const garbage = await db.query<{ village: string | null; points: number; tons: number }>(sqlFile('reports/garbage_cleared_by_village'), [from, to]);
  for (const g of garbage.rows) Object.assign(row(g.village), { garbage_points_cleared: g.points, garbage_tons: g.tons });
  for (const f of await findingsByVillage(db, month)) {
    const r = row(f.village);
    r.findings += f.found;
    r.repeat_findings += f.repeats;
  }
  for (const n of await noticesByVillage(db, month, now)) {
    Object.assign(row(n.village), { notices_issued: n.issued, notices_closed: n.closed, notices_open: n.open_notices, notices_overdue: n.overdue_notices });
  }
  const demolished = await db.query<{ village: string | null; kind: string; demolished: number }>(sqlFile('reports/demolished_by_village'), [days.first, days.next]);
  for (const d of demolished.rows) row(d.village).structures_demolished += d.demolished;
  const plantings = await db.query<{ village: string | null; planted_mu: number; trees: number }>(sqlFile('reports/plantings_by_village'), [days.first, days.next]);
  for (const p of plantings.rows) Object.assign(row(p.village), { planted_mu: p.planted_mu, trees_planted: p.trees });
  const survival = await db.query<{ village: string | null; checks: number; sample_planted: number; sample_alive: number; passed: number; gap_replant: number; replant: number }>(
    sqlFile('reports/survival_by_village'), [days.first, days.next, SURVIVAL_RULE.pass_pct, SURVIVAL_RULE.replant_max_pct]);
  for (const s of survival.rows) {
    Object.assign(row(s.village), { survival_checks: s.checks, sample_planted: s.sample_planted, sample_alive: s.sample_alive,
      checks_passed: s.passed, checks_gap_replant: s.gap_replant, checks_replant: s.replant });
  }
  const corridor = await corridorLedger(db, month, now);
  for (const l of corridor.ledger) {
    Object.assign(row(l.village), { excellent_km: l.excellent_km, qualified_km: l.qualified_km, unqualified_km: l.unqualified_km,
      reward_yuan: l.reward_yuan, penalty_yuan: l.penalty_yuan });
  }

  const finish = (r: VillageMonth): VillageMonth => ({
    ...r,
    garbage_tons: round(r.garbage_tons, 2),
    planted_mu: round(r.planted_mu, 2),
    survival_pct: r.sample_planted > 0 ? round((100 * r.sample_alive) / r.sample_planted, 1) : null,
    excellent_km: round(r.excellent_km, 3),
    qualified_km: round(r.qualified_km, 3),
    unqualified_km: round(r.unqualified_km, 3),
    reward_yuan: round(r.reward_yuan),
    penalty_yuan: round(r.penalty_yuan),
  });
  const all = [...rows.values()];
  // Named villages in Chinese order; what lies outside every village last, as one row.
  const named = all.filter((r) => r.village !== null).sort((a, b) => a.village!.localeCompare(b.village!, 'zh-Hans-CN'));
  const chosen = village ? named.filter((r) => r.village === village) : [...named, ...all.filter((r) => r.village === null)];
  const total = empty(village);
  for (const r of chosen) for (const k of SUMMED) total[k] += r[k];

  const townshipOf = village ? villages.find((v) => v.name === village)?.township ?? township : township;
  const [y, m] = month.month.split('-').map(Number);
  return {
    title: `${townshipOf}${y}年${m}月环境整治工作汇报`,
    parameters: {
      month: month.month,
      village,
      township: townshipOf,
      time_zone: 'Asia/Shanghai',
      judged_until: judgedEnd(month, now).end.toISOString(),
      corridor_m: corridor.parameters.corridor_m,
      corridor_grades: corridor.parameters.grades,
      corridor_rewards: corridor.parameters.rewards,
      survival_rule: SURVIVAL_RULE,
      mu_m2: 10000 / 15,
      attribution: 'garbage points and demolition sites: the village polygon holding them; findings and notices: their village; plantings and survival checks: the plot\'s village; road km: the village of each 1 km unit',
    },
    total: finish(total),
    villages: chosen.map(finish),
  };
}

export type MonthlyReport = Awaited<ReturnType<typeof monthlyReport>>;
