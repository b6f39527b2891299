/** The ranking as XLSX (exceljs): one row per village with every figure, and a sheet of the rules. */
import ExcelJS from 'exceljs';
import type { Ranking } from './ranking.js';
import { shanghaiTime } from './report-text.js';
import { PART_LABELS, PART_RULES_ZH, RANKING_COLUMNS } from './ranking-columns.js';

export async function rankingXlsx(r: Ranking): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '整治一张图';
  const sheet = book.addWorksheet(`红黑榜 ${r.parameters.month}`);
  sheet.columns = RANKING_COLUMNS.map((c) => ({ header: c.zh, key: c.key, width: Math.max(8, c.zh.length * 2 + 2) }));
  for (const v of r.villages) sheet.addRow(Object.fromEntries(RANKING_COLUMNS.map((c) => [c.key, c.value(v)])));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 2 }];
  r.villages.forEach((v, i) => {
    if (!v.list) return;
    sheet.getRow(i + 2).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: v.list === 'red' ? 'FFFDE2E2' : 'FFE0E0E0' } };
  });

  const rules = book.addWorksheet('评分规则');
  rules.columns = [{ header: '项目', key: 'k', width: 16 }, { header: '权重', key: 'w', width: 8 }, { header: '计算方法', key: 'rule', width: 90 }];
  for (const p of ['corridor', 'notices', 'repeats', 'setback'] as const) {
    rules.addRow({ k: PART_LABELS[p], w: r.parameters.weights[p], rule: PART_RULES_ZH[p] });
  }
  rules.addRow({ k: '总分', w: '', rule: PART_RULES_ZH.total });
  rules.addRow({ k: '红榜', w: r.parameters.red_list, rule: '总分最高的村' });
  rules.addRow({ k: '黑榜', w: r.parameters.black_list, rule: '总分最低的村（不含红榜村）' });
  rules.addRow({ k: '月份', w: '', rule: `${r.parameters.month}，数据截至北京时间 ${shanghaiTime(r.parameters.judged_until)}` });
  rules.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
