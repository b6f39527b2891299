/**
 * XLSX for every analysis (f=xlsx): the same table as f=csv, headers in Chinese with the column
 * name after it (so a sheet stays readable and a script can still find its column).
 */
import { xlsxStream } from '../formats/write.js';

const HEADERS: Record<string, string> = {
  code: '路线编号', road_code: '路线编号', name: '名称', village: '行政村', villages: '行政村', length_km: '长度(公里)', length_m: '长度(米)',
  stake: '桩号', stake_m: '里程(米)', status: '状态', kind: '类型', grade: '等级', site_id: '点位编号', unit_id: '单元编号',
  distance_m: '距离(米)', limit_m: '控制距离(米)', compliance_pct: '达标率(%)', violating_units: '不达标单元',
  open_points: '未清运点位', open_point_days: '未清运天数', max_open_days: '最长未清运天数', excellent_km: '优秀(公里)',
  qualified_km: '合格(公里)', unqualified_km: '不合格(公里)', reward_yuan: '奖励(元)', penalty_yuan: '扣罚(元)', total_yuan: '合计(元)',
  month: '月份', year: '年度', species: '树种', planned_mu: '计划面积(亩)', planted_mu: '已造林(亩)', covered_km: '覆盖(公里)', covered_pct: '覆盖率(%)',
  left_covered_km: '左侧覆盖(公里)', left_covered_pct: '左侧覆盖率(%)', right_covered_km: '右侧覆盖(公里)', right_covered_pct: '右侧覆盖率(%)',
  offset_m: '偏距(米)', plot_code: '小班号', count: '数量',
};

export async function toXlsx(sheet: string, rows: Record<string, unknown>[], columns?: string[]): Promise<Buffer> {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : v);
  return xlsxStream(sheet, cols.map((c) => (HEADERS[c] ? `${HEADERS[c]} ${c}` : c)), rows.map((r) => cols.map((c) => cell(r[c]))));
}
