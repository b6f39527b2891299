/**
 * The monthly report's words, shared by the DOCX and the PDF: sections of sentences in the tone of
 * the township reports (seeds), every figure taken from the report object, and the village table.
 */
import type { MonthlyReport, VillageMonth } from './monthly.js';

/** A number as written in a report: at most `d` decimals, no trailing zeros. */
export const fmt = (n: number, d = 2) => String(Math.round(n * 10 ** d) / 10 ** d);

/** An instant as Asia/Shanghai wall time, e.g. 2026-11-01 00:00. */
export const shanghaiTime = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

export interface Section { heading: string; paragraphs: string[] }

export function reportSections(r: MonthlyReport): { intro: string; sections: Section[] } {
  const t = r.total;
  const [y, m] = r.parameters.month.split('-').map(Number);
  const area = r.parameters.village ? `${r.parameters.township}${r.parameters.village}` : r.parameters.township;
  const roadKm = t.excellent_km + t.qualified_km + t.unqualified_km;
  const survival = t.sample_planted > 0
    ? `开展成活率抽查${t.survival_checks}次，抽查${t.sample_planted}株，成活${t.sample_alive}株，成活率${fmt(t.survival_pct ?? 0, 1)}%；其中${t.checks_passed}次达到${r.parameters.survival_rule.pass_pct}%以上，${t.checks_gap_replant}次需补植补造，${t.checks_replant}次需重新栽植。`
    : '本月未开展成活率抽查。';
  return {
    intro: `${y}年${m}月，${area}按照县“三城同创”工作部署，持续开展路域环境整治、巡查督办、违建拆除和植树造林工作。现将本月工作情况汇报如下：`,
    sections: [
      {
        heading: '一、路域环境卫生整治',
        paragraphs: [
          `本月共清理垃圾点${t.garbage_points_cleared}处，清运垃圾${fmt(t.garbage_tons)}吨。`,
          roadKm > 0
            ? `按每公里考核，${fmt(roadKm, 1)}公里路段中评为优秀${fmt(t.excellent_km, 1)}公里、合格${fmt(t.qualified_km, 1)}公里、不合格${fmt(t.unqualified_km, 1)}公里，兑现保洁奖励${fmt(t.reward_yuan)}元，扣罚${fmt(t.penalty_yuan)}元。`
            : '本辖区暂无纳入每公里考核的路段。',
        ],
      },
      {
        heading: '二、巡查督办与问题整改',
        paragraphs: [
          `本月巡查登记问题${t.findings}处，其中同一地点重复出现的问题${t.repeat_findings}处。`,
          `下发整改通知书${t.notices_issued}份，整改销号${t.notices_closed}份；截至月末尚有${t.notices_open}份未销号，其中逾期${t.notices_overdue}份。`,
        ],
      },
      {
        heading: '三、路域违规建筑拆除',
        paragraphs: [`本月拆除沿线猪圈、旱厕、柴棚及违章建筑${t.structures_demolished}处。`],
      },
      {
        heading: '四、植树造林',
        paragraphs: [`本月完成植树造林${fmt(t.planted_mu)}亩，栽植苗木${t.trees_planted}株。`, survival],
      },
      {
        heading: '五、各村工作情况',
        paragraphs: ['各村本月主要数据见下表，分布情况见附图。'],
      },
    ],
  };
}

export const VILLAGE_COLUMNS: { zh: string; value: (v: VillageMonth) => string }[] = [
  { zh: '行政村', value: (v) => v.village ?? '村界外' },
  { zh: '清理垃圾点（处）', value: (v) => String(v.garbage_points_cleared) },
  { zh: '清运垃圾（吨）', value: (v) => fmt(v.garbage_tons) },
  { zh: '登记问题（处）', value: (v) => String(v.findings) },
  { zh: '下发通知（份）', value: (v) => String(v.notices_issued) },
  { zh: '销号（份）', value: (v) => String(v.notices_closed) },
  { zh: '逾期（份）', value: (v) => String(v.notices_overdue) },
  { zh: '拆除（处）', value: (v) => String(v.structures_demolished) },
  { zh: '植树（亩）', value: (v) => fmt(v.planted_mu) },
  { zh: '成活率（%）', value: (v) => (v.survival_pct === null ? '—' : fmt(v.survival_pct, 1)) },
  { zh: '优秀路段（公里）', value: (v) => fmt(v.excellent_km, 1) },
  { zh: '保洁奖励（元）', value: (v) => fmt(v.reward_yuan) },
];

export const MAP_CAPTION = '附图：辖区行政村、干线道路及本月清理的垃圾点（绿色）';
