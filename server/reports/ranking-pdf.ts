/** The ranking as PDF: the red and black lists, a map with their villages, the table with every figure, the rules. */
import type { Queryable } from '../db/index.js';
import { newPdf, pdfBuffer } from '../print/fonts.js';
import { drawTownshipMap } from '../print/township-map.js';
import { drawTable } from '../print/table.js';
import type { Ranking } from './ranking.js';
import { PART_LABELS, PART_RULES_ZH, RANKING_COLUMNS } from './ranking-columns.js';
import { villageList } from './month-data.js';
import { shanghaiTime } from './report-text.js';

export const RED = '#f4a6a6';
export const BLACK = '#8c8c8c';

export async function rankingPdf(db: Queryable, r: Ranking): Promise<Buffer> {
  const doc = newPdf({ layout: 'landscape', margin: 36, info: { Title: `红黑榜 ${r.parameters.month}` } });
  const townships = [...new Set((await villageList(db)).map((v) => v.township))].join('、');
  const [y, m] = r.parameters.month.split('-').map(Number);
  doc.font('cjk-bold').fontSize(18).text(`${townships}${y}年${m}月村庄环境整治红黑榜`, { align: 'center' });
  doc.font('cjk').fontSize(9).fillColor('#555555')
    .text(`按路域保洁、整改通知、重复问题和退让达标四项评分（权重 ${(['corridor', 'notices', 'repeats', 'setback'] as const).map((p) => `${PART_LABELS[p]} ${r.parameters.weights[p]}`).join('，')}），月份按北京时间计。`, { align: 'center' })
    .fillColor('#000000');
  doc.moveDown(0.8);

  const top = doc.y;
  const listLine = (l: { rank: number; village: string; total: number }) => `第${l.rank}名 ${l.village} ${l.total}分`;
  doc.font('cjk-bold').fontSize(13).fillColor('#b00000').text('红榜', 36, top);
  doc.font('cjk').fontSize(11).fillColor('#000000').text(r.red.map(listLine).join('\n') || '无', { width: 330 });
  doc.moveDown(0.6);
  doc.font('cjk-bold').fontSize(13).fillColor('#000000').text('黑榜', { width: 330 });
  doc.font('cjk').fontSize(11).text(r.black.map(listLine).join('\n') || '无', { width: 330 });
  const fills = Object.fromEntries([...r.red.map((l) => [l.village, RED]), ...r.black.map((l) => [l.village, BLACK])]);
  await drawTownshipMap(doc, db, 400, top, 400, 230, { fills });
  doc.fontSize(8).fillColor('#555555').text('图：红榜村（红）与黑榜村（灰）、干线道路', 400, top + 234, { width: 400, align: 'center' }).fillColor('#000000');

  doc.addPage();
  doc.font('cjk-bold').fontSize(13).text('各村得分与依据', 36, 36);
  doc.moveDown(0.3);
  const widths = [28, 52, 30, 34, 40, 40, 40, 40, 36, 36, 36, 38, 38, 38, 34, 36, 40, 38, 38, 40];
  drawTable(doc, RANKING_COLUMNS.map((c, i) => ({ header: c.zh, width: widths[i], align: i === 1 || i === 2 ? 'left' : 'right' })),
    r.villages.map((v) => RANKING_COLUMNS.map((c) => c.value(v))), { fontSize: 7.5, fill: (i) => (r.villages[i].list === 'red' ? '#fde2e2' : r.villages[i].list === 'black' ? '#e0e0e0' : null) });

  doc.moveDown(1);
  doc.font('cjk-bold').fontSize(11).text('评分方法', 36);
  doc.font('cjk').fontSize(8.5);
  for (const p of ['corridor', 'notices', 'repeats', 'setback'] as const) doc.text(`${PART_LABELS[p]}（权重 ${r.parameters.weights[p]}）：${PART_RULES_ZH[p]}`, 36);
  doc.text(`总分：${PART_RULES_ZH.total}`, 36);
  doc.text(`数据截至北京时间 ${shanghaiTime(r.parameters.judged_until)}；红榜 ${r.parameters.red_list} 个村，黑榜 ${r.parameters.black_list} 个村。`, 36);
  return pdfBuffer(doc);
}
