/** The monthly report as PDF (pdfkit, Noto Sans SC): the same words, table and map as the DOCX. */
import type { Queryable } from '../db/index.js';
import { newPdf, pdfBuffer } from '../print/fonts.js';
import { drawTable } from '../print/table.js';
import type { MonthlyReport } from './monthly.js';
import { MAP_CAPTION, VILLAGE_COLUMNS, reportSections, shanghaiTime } from './report-text.js';
import { REPORT_MAP, reportMapPng } from './report-map.js';

export async function reportPdf(db: Queryable, r: MonthlyReport): Promise<Buffer> {
  const { intro, sections } = reportSections(r);
  const doc = newPdf({ info: { Title: r.title } });
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  doc.font('cjk-bold').fontSize(17).text(r.title, { align: 'center' });
  doc.moveDown(0.8);
  doc.font('cjk').fontSize(11).text(intro, { indent: 22, lineGap: 3 });
  for (const s of sections) {
    doc.moveDown(0.5);
    doc.font('cjk-bold').fontSize(12.5).text(s.heading);
    doc.font('cjk').fontSize(11);
    for (const p of s.paragraphs) doc.text(p, { indent: 22, lineGap: 3 });
  }
  doc.moveDown(0.5);
  const colWidths = [58, 42, 42, 40, 40, 34, 34, 34, 38, 40, 46, 47];
  const scale = width / colWidths.reduce((a, b) => a + b, 0);
  const rows = r.villages.map((v) => VILLAGE_COLUMNS.map((c) => c.value(v)));
  if (r.villages.length > 1) rows.push(VILLAGE_COLUMNS.map((c, i) => (i === 0 ? '合计' : c.value(r.total))));
  drawTable(doc, VILLAGE_COLUMNS.map((c, i) => ({ header: c.zh, width: colWidths[i] * scale, align: i === 0 ? 'left' : 'right' })), rows, { fontSize: 8 });

  const png = await reportMapPng(db, r);
  if (doc.y + REPORT_MAP.height + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const x = doc.page.margins.left + (width - REPORT_MAP.width) / 2;
  const y = doc.y + 14;
  doc.image(png, x, y, { width: REPORT_MAP.width, height: REPORT_MAP.height });
  doc.save().lineWidth(0.5).strokeColor('#888888').rect(x, y, REPORT_MAP.width, REPORT_MAP.height).stroke().restore();
  doc.font('cjk').fontSize(9).text(MAP_CAPTION, doc.page.margins.left, y + REPORT_MAP.height + 4, { width, align: 'center' });
  doc.fontSize(8).fillColor('#666666').text(`数据截至北京时间 ${shanghaiTime(r.parameters.judged_until)}。本汇报所有数字均由系统数据计算生成。`, { width, align: 'center' });
  return pdfBuffer(doc);
}
