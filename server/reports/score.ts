/**
 * The village ranking (红黑榜) as a pure function: the figures of each village in, the scores, the
 * order and the red and black lists out. No database, no clock: unit-tested with hand-made tables
 * (test/unit/ranking-score.test.ts). The rules are stated in README ("Village ranking") and under
 * `parameters` of GET /api/analysis/ranking.
 */

export type Part = 'corridor' | 'notices' | 'repeats' | 'setback';
export const PARTS: readonly Part[] = ['corridor', 'notices', 'repeats', 'setback'];

/** The month's figures of one village, as read from the data. */
export interface VillageFigures {
  village: string;
  /** Road km of the village's 1 km units by corridor grade this month. */
  excellent_km: number;
  qualified_km: number;
  unqualified_km: number;
  /** Rectification notices the village held during the month (issued before its end, not closed before its start). */
  notices: number;
  /** Of those, still not closed at the end of the month (or now, while the month runs) … */
  open_notices: number;
  /** … and of the open ones, past their deadline then. */
  overdue_notices: number;
  /** Findings of the month that repeat an earlier one (same category within 20 m and 90 days). */
  repeat_findings: number;
  /** Setback: 1 km units of the village's roads, and those with a structure inside the setback. */
  setback_units: number;
  violating_units: number;
}

export interface RankingRules {
  weights: Record<Part, number>;
  red_list: number;
  black_list: number;
}

/** Grade weights inside the corridor part: an excellent km counts fully, a qualified km 0.6. */
export const CORRIDOR_GRADE_WEIGHTS = { excellent: 1, qualified: 0.6, unqualified: 0 } as const;
/** Repeats are counted per km of road, with at least this many km (villages with little road are not blown up). */
export const REPEATS_MIN_KM = 1;

export interface VillageScore extends VillageFigures {
  road_km: number;
  repeats_per_km: number;
  /** 0–100 each; null when the village has nothing to judge that part by (then it leaves the weighted mean). */
  scores: Record<Part, number | null>;
  /** Weighted mean of the parts present, 0–100. */
  total: number;
  rank: number;
  list: 'red' | 'black' | null;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export function rankVillages(figures: VillageFigures[], rules: RankingRules): VillageScore[] {
  const roadKm = (f: VillageFigures) => f.excellent_km + f.qualified_km + f.unqualified_km;
  const rate = (f: VillageFigures) => f.repeat_findings / Math.max(roadKm(f), REPEATS_MIN_KM);
  const worstRate = Math.max(0, ...figures.map(rate));

  const scored = figures.map((f) => {
    const km = roadKm(f);
    const corridor = km > 0
      ? (100 * (CORRIDOR_GRADE_WEIGHTS.excellent * f.excellent_km + CORRIDOR_GRADE_WEIGHTS.qualified * f.qualified_km)) / km
      : null;
    // Every notice held counts twice: once for being open at the end, once more for being overdue.
    const notices = f.notices > 0 ? 100 * (1 - (f.open_notices + f.overdue_notices) / (2 * f.notices)) : 100;
    // Relative to the worst village of the month: it scores 0, a village without repeats 100.
    const repeats = worstRate > 0 ? 100 * (1 - rate(f) / worstRate) : 100;
    const setback = f.setback_units > 0 ? (100 * (f.setback_units - f.violating_units)) / f.setback_units : null;
    const scores: Record<Part, number | null> = {
      corridor: corridor === null ? null : round(corridor),
      notices: round(notices),
      repeats: round(repeats),
      setback: setback === null ? null : round(setback),
    };
    let weighted = 0;
    let weights = 0;
    for (const p of PARTS) {
      const s = scores[p];
      if (s === null) continue;
      weighted += rules.weights[p] * s;
      weights += rules.weights[p];
    }
    return {
      ...f,
      road_km: round(km, 3),
      repeats_per_km: round(rate(f), 4),
      scores,
      total: weights > 0 ? round(weighted / weights) : 0,
      rank: 0,
      list: null as VillageScore['list'],
    };
  });

  // Ties: the higher corridor, notices, setback, repeats score first (a missing part counts as
  // below any score), then the village name in Chinese collation, so the order never depends on input order.
  const key = (s: number | null) => (s === null ? -1 : s);
  scored.sort((a, b) =>
    b.total - a.total
    || key(b.scores.corridor) - key(a.scores.corridor)
    || key(b.scores.notices) - key(a.scores.notices)
    || key(b.scores.setback) - key(a.scores.setback)
    || key(b.scores.repeats) - key(a.scores.repeats)
    || a.village.localeCompare(b.village, 'zh-Hans-CN')
    || (a.village < b.village ? -1 : a.village > b.village ? 1 : 0));

  const red = Math.min(rules.red_list, scored.length);
  // The black list never takes a village already on the red list.
  const black = Math.min(rules.black_list, scored.length - red);
  scored.forEach((s, i) => {
    s.rank = i + 1;
    s.list = i < red ? 'red' : i >= scored.length - black ? 'black' : null;
  });
  return scored;
}
