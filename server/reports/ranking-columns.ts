/**
 * The ranking's table as printed (XLSX and PDF): one column per figure, Chinese header first.
 */
import type { Ranking } from './ranking.js';

type Row = Ranking['villages'][number];
const LIST = { red: '红榜', black: '黑榜' } as const;
const num = (n: number | null) => (n === null ? '—' : n);

export const RANKING_COLUMNS: { key: string; zh: string; en: string; value: (r: Row) => string | number }[] = [
  { key: 'rank', zh: '排名', en: 'Rank', value: (r) => r.rank },
  { key: 'village', zh: '行政村', en: 'Village', value: (r) => r.village },
  { key: 'list', zh: '榜单', en: 'List', value: (r) => (r.list ? LIST[r.list] : '') },
  { key: 'total', zh: '总分', en: 'Score', value: (r) => r.total },
  { key: 'corridor_score', zh: '路域保洁得分', en: 'Corridor score', value: (r) => num(r.scores.corridor) },
  { key: 'notices_score', zh: '整改通知得分', en: 'Notices score', value: (r) => num(r.scores.notices) },
  { key: 'repeats_score', zh: '重复问题得分', en: 'Repeats score', value: (r) => num(r.scores.repeats) },
  { key: 'setback_score', zh: '退让达标得分', en: 'Setback score', value: (r) => num(r.scores.setback) },
  { key: 'road_km', zh: '道路公里', en: 'Road km', value: (r) => r.road_km },
  { key: 'excellent_km', zh: '优秀公里', en: 'Excellent km', value: (r) => r.excellent_km },
  { key: 'qualified_km', zh: '合格公里', en: 'Qualified km', value: (r) => r.qualified_km },
  { key: 'unqualified_km', zh: '不合格公里', en: 'Unqualified km', value: (r) => r.unqualified_km },
  { key: 'notices', zh: '当月整改通知', en: 'Notices held', value: (r) => r.notices },
  { key: 'open_notices', zh: '未销号通知', en: 'Open notices', value: (r) => r.open_notices },
  { key: 'overdue_notices', zh: '逾期通知', en: 'Overdue notices', value: (r) => r.overdue_notices },
  { key: 'repeat_findings', zh: '重复问题', en: 'Repeat findings', value: (r) => r.repeat_findings },
  { key: 'repeats_per_km', zh: '每公里重复问题', en: 'Repeats per km', value: (r) => r.repeats_per_km },
  { key: 'setback_units', zh: '退让考核单元', en: 'Setback units', value: (r) => r.setback_units },
  { key: 'violating_units', zh: '退让违规单元', en: 'Violating units', value: (r) => r.violating_units },
  { key: 'reward_yuan', zh: '保洁奖励（元）', en: 'Reward (yuan)', value: (r) => r.reward_yuan },
];

export const PART_LABELS = { corridor: '路域保洁', notices: '整改通知', repeats: '重复问题', setback: '退让达标' } as const;

/** The rules of each part in words, for printed files (the JSON states them under `parameters`). */
export const PART_RULES_ZH = {
  corridor: '100 ×（优秀公里 + 0.6 × 合格公里）÷ 该村道路公里数；无道路公里的村不计此项',
  notices: '100 ×（1 − （月末未销号数 + 逾期数）÷（2 × 当月持有的整改通知数））；当月无通知得 100',
  repeats: '100 ×（1 − 每公里重复问题数 ÷ 当月最多村的每公里重复问题数）；道路不足 1 公里按 1 公里计；各村均无重复问题时得 100',
  setback: '100 × 达标单元 ÷ 该村道路的公里单元数（按拆除点位当前状态）；无单元的村不计此项',
  total: '各项得分按权重加权平均（不计的项不参与）；同分时依次比较路域保洁、整改通知、退让达标、重复问题得分，再按村名排序',
} as const;
