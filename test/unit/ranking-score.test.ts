/**
 * The village ranking's arithmetic (server/reports/score.ts) on hand-made tables whose scores are
 * worked out by hand in the comments.
 */
import { describe, it, expect } from 'vitest';
import { rankVillages, type VillageFigures } from '../../server/reports/score.js';

const v = (village: string, f: Partial<VillageFigures>): VillageFigures => ({
  village, excellent_km: 0, qualified_km: 0, unqualified_km: 0, notices: 0, open_notices: 0, overdue_notices: 0,
  repeat_findings: 0, setback_units: 0, violating_units: 0, ...f,
});

const RULES = { weights: { corridor: 0.4, notices: 0.25, repeats: 0.15, setback: 0.2 }, red_list: 1, black_list: 2 };

// 甲: corridor 100·(2 + 0.6·1)/4 = 65; notices 100·(1 − (1+1)/(2·4)) = 75; repeats 2 per 4 km = 0.5/km,
//     worst 1/km → 50; setback 3 of 4 units → 75. Total 0.4·65 + 0.25·75 + 0.15·50 + 0.2·75 = 67.25.
// 乙: everything perfect → 100.
// 丙: corridor 0, notices 100·(1 − 4/4) = 0, repeats 2 per 2 km = 1/km (the worst) → 0, setback 0 → 0.
// 丁: no road km, no setback units: corridor and setback leave the mean; notices 100·(1 − 1/2) = 50,
//     repeats 1 per (at least) 1 km = 1/km → 0. Total (0.25·50 + 0.15·0)/(0.25 + 0.15) = 31.25.
const TABLE = [
  v('甲村', { excellent_km: 2, qualified_km: 1, unqualified_km: 1, notices: 4, open_notices: 1, overdue_notices: 1, repeat_findings: 2, setback_units: 4, violating_units: 1 }),
  v('乙村', { excellent_km: 3, setback_units: 3 }),
  v('丙村', { unqualified_km: 2, notices: 2, open_notices: 2, overdue_notices: 2, repeat_findings: 2, setback_units: 2, violating_units: 2 }),
  v('丁村', { notices: 1, open_notices: 1, repeat_findings: 1 }),
];

describe('rankVillages', () => {
  it('scores each part 0–100 and weights the parts present', () => {
    const r = Object.fromEntries(rankVillages(TABLE, RULES).map((s) => [s.village, s]));
    expect(r['甲村'].scores).toEqual({ corridor: 65, notices: 75, repeats: 50, setback: 75 });
    expect(r['甲村'].total).toBe(67.25);
    expect(r['甲村'].road_km).toBe(4);
    expect(r['甲村'].repeats_per_km).toBe(0.5);
    expect(r['乙村'].scores).toEqual({ corridor: 100, notices: 100, repeats: 100, setback: 100 });
    expect(r['乙村'].total).toBe(100);
    expect(r['丙村'].scores).toEqual({ corridor: 0, notices: 0, repeats: 0, setback: 0 });
    expect(r['丙村'].total).toBe(0);
    expect(r['丁村'].scores).toEqual({ corridor: null, notices: 50, repeats: 0, setback: null });
    expect(r['丁村'].total).toBe(31.25);
  });

  it('ranks by total, puts the top on the red list and the bottom on the black list', () => {
    const r = rankVillages(TABLE, RULES);
    expect(r.map((s) => [s.rank, s.village, s.list])).toEqual([
      [1, '乙村', 'red'], [2, '甲村', null], [3, '丁村', 'black'], [4, '丙村', 'black'],
    ]);
  });

  it('gives the same order whatever the input order', () => {
    const order = rankVillages(TABLE, RULES).map((s) => s.village);
    for (const perm of [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) {
      expect(rankVillages(perm.map((i) => TABLE[i]), RULES).map((s) => s.village)).toEqual(order);
    }
  });

  it('breaks a tie by the corridor score before the name, then by the name', () => {
    const rules = { weights: { corridor: 0.5, notices: 0.5, repeats: 0, setback: 0 }, red_list: 0, black_list: 0 };
    // 乙村: corridor 100, notices 100·(1 − 1/2) = 50 → 75; 甲村: corridor 100·0.5/1 = 50, notices 100 → 75.
    const tied = [
      v('甲村', { excellent_km: 0.5, unqualified_km: 0.5 }),
      v('乙村', { excellent_km: 1, notices: 1, open_notices: 1 }),
    ];
    const r = rankVillages(tied, rules);
    expect(r.map((s) => s.total)).toEqual([75, 75]);
    expect(r.map((s) => s.village)).toEqual(['乙村', '甲村']);
    expect(r.map((s) => s.list)).toEqual([null, null]);
    // Exactly equal figures: the name decides (甲 jiǎ before 乙 yǐ), in either input order.
    const same = [v('乙村', { excellent_km: 1 }), v('甲村', { excellent_km: 1 })];
    expect(rankVillages(same, rules).map((s) => s.village)).toEqual(['甲村', '乙村']);
    expect(rankVillages([...same].reverse(), rules).map((s) => s.village)).toEqual(['甲村', '乙村']);
  });

  it('never puts a village on both lists', () => {
    const r = rankVillages(TABLE.slice(0, 3), { ...RULES, red_list: 2, black_list: 2 });
    expect(r.map((s) => s.list)).toEqual(['red', 'red', 'black']);
  });

  it('with no repeats anywhere every village scores 100 on repeats, and weights follow the settings', () => {
    const r = rankVillages([v('甲村', { excellent_km: 1 }), v('乙村', { unqualified_km: 1 })], { weights: { corridor: 1, notices: 0, repeats: 0, setback: 0 }, red_list: 1, black_list: 1 });
    expect(r.map((s) => [s.village, s.scores.repeats, s.total, s.list])).toEqual([['甲村', 100, 100, 'red'], ['乙村', 100, 0, 'black']]);
  });
});
