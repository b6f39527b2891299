/**
 * GET /api/analysis/ranking: the month's figures per village (month-data.ts), scored by the pure
 * rankVillages (score.ts) with the weights and list sizes of settings.ranking.
 */
import type { Queryable } from '../db/index.js';
import { getSetting } from '../settings/settings.js';
import type { Month } from '../analysis/params.js';
import { rankVillages, CORRIDOR_GRADE_WEIGHTS, REPEATS_MIN_KM, type VillageFigures } from './score.js';
import { corridorLedger, findingsByVillage, noticesByVillage, setbackByVillage, villageList, judgedEnd } from './month-data.js';

export async function ranking(db: Queryable, month: Month, now = new Date()) {
  const rules = await getSetting(db, 'ranking');
  const villages = await villageList(db);
  const corridor = await corridorLedger(db, month, now);
  const setback = await setbackByVillage(db);
  const notices = await noticesByVillage(db, month, now);
  const findings = await findingsByVillage(db, month);

  const figures: VillageFigures[] = villages.map(({ name }) => {
    const c = corridor.ledger.find((l) => l.village === name);
    const n = notices.find((r) => r.village === name);
    const s = setback.villages.find((v) => v.name === name);
    return {
      village: name,
      excellent_km: c?.excellent_km ?? 0,
      qualified_km: c?.qualified_km ?? 0,
      unqualified_km: c?.unqualified_km ?? 0,
      notices: n?.notices ?? 0,
      open_notices: n?.open_notices ?? 0,
      overdue_notices: n?.overdue_notices ?? 0,
      repeat_findings: findings.filter((f) => f.village === name).reduce((t, f) => t + f.repeats, 0),
      setback_units: s?.units ?? 0,
      violating_units: s?.violating_units ?? 0,
    };
  });
  const scored = rankVillages(figures, rules);
  const rewards = new Map(corridor.ledger.map((l) => [l.village, l.reward_yuan]));
  const rows = scored.map((s) => ({ ...s, reward_yuan: rewards.get(s.village) ?? 0 }));
  return {
    parameters: {
      month: month.month,
      time_zone: 'Asia/Shanghai',
      judged_until: judgedEnd(month, now).end.toISOString(),
      weights: rules.weights,
      red_list: rules.red_list,
      black_list: rules.black_list,
      corridor: { corridor_m: corridor.parameters.corridor_m, grades: corridor.parameters.grades, grade_weights: CORRIDOR_GRADE_WEIGHTS,
        rule: '100 × (excellent km + 0.6 × qualified km) / road km; none without road km' },
      notices: { rule: '100 × (1 − (open + overdue) / (2 × notices held in the month)); 100 without notices' },
      repeats: { min_km: REPEATS_MIN_KM, rule: '100 × (1 − repeats per km / the worst village\'s repeats per km); km at least 1; 100 when no village has repeats' },
      setback: { reference: setback.parameters.reference, distance_m_by_class: setback.parameters.distance_m_by_class, statuses: setback.parameters.statuses,
        rule: '100 × compliant units / units of the village\'s roads (the sites\' current status); none without units' },
      total: 'weighted mean of the parts present (a missing part leaves the mean); ties: corridor, notices, setback, repeats score, then name',
    },
    red: rows.filter((r) => r.list === 'red').map((r) => ({ rank: r.rank, village: r.village, total: r.total })),
    black: rows.filter((r) => r.list === 'black').reverse().map((r) => ({ rank: r.rank, village: r.village, total: r.total })),
    villages: rows,
  };
}

export type Ranking = Awaited<ReturnType<typeof ranking>>;
