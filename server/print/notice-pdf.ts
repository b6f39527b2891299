/**
 * The printable rectification notice (整改通知书), A4 in Simplified Chinese: title, number,
 * village, date, the findings with category, place and deadline, then per finding a small map
 * and its "before" photo (the finding's first photo; 无照片 when there is none or its file is
 * gone), and signature lines.
 */
import sharp from 'sharp';
import type { Queryable } from '../db/index.js';
import { sqlFile } from '../db/sql.js';
import { newPdf, pdfBuffer } from './fonts.js';
import { drawSiteMap } from './site-map.js';
import { CATEGORY_ZH, NOTICE_STATUS_ZH } from '../notices/labels.js';
import { shanghaiToday } from '../collections/properties.js';
import { readStoredFile } from '../photos/store.js';

export interface PrintableNotice {
  id: number; number: string; village: string; status: string; deadline: string; issued_at: string;
  findings: { id: number; category: string; road_code: string | null; stake: string | null; description: string | null; deadline: string; lon: number; lat: number; photo_ids: number[]; found_at: string }[];
}

const zhDate = (day: string) => { const [y, m, d] = day.split('-').map(Number); return `${y}年${m}月${d}日`; };

/** The before photo as a JPEG small enough to print, or null when it is missing. */
async function beforePhoto(q: Queryable, photoId: number | undefined, mediaDir: string): Promise<Buffer | null> {
  if (photoId === undefined) return null;
  const { rows } = await q.query<{ thumbnail_path: string; original_path: string }>(sqlFile('notices/photos'), [[photoId]]);
  if (!rows[0]) return null;
  for (const rel of [rows[0].thumbnail_path, rows[0].original_path]) {
    if (!rel) continue; // no thumbnail (a format sharp cannot decode)
    try {
      return await sharp(await readStoredFile(mediaDir, rel)).rotate().resize(480, 360, { fit: 'inside' }).jpeg({ quality: 80 }).toBuffer();
    } catch { /* missing, unreadable or outside the media folder: try the next, then print 无照片 */ }
  }
  return null;
}

/** mediaDir: where photos' paths start (DATA_DIR/media). */
export async function noticePdf(q: Queryable, n: PrintableNotice, mediaDir: string): Promise<Buffer> {
  const doc = newPdf();
  const out = pdfBuffer(doc, { end: false });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const issuedDay = shanghaiToday(new Date(String(n.issued_at)));

  doc.font('cjk-bold').fontSize(20).text('整改通知书', { align: 'center' });
  doc.moveDown(0.3).font('cjk').fontSize(11).text(String(n.number), { align: 'center' });
  doc.moveDown(0.8).fontSize(11).text(`${n.village}${n.village.endsWith('村') ? '' : '村'}两委：`);
  doc.moveDown(0.3).text(`经巡查，你村存在下列 ${n.findings.length} 项问题。请按所列期限完成整改，并在系统中上报整改后照片，待督查组现场复核验收。逾期未整改的，纳入月度考核。`, { indent: 22, lineGap: 3 });
  doc.moveDown(0.3).text(`下发日期：${zhDate(issuedDay)}　　整改期限：${zhDate(String(n.deadline))}前　　状态：${NOTICE_STATUS_ZH[String(n.status)] ?? String(n.status)}`);
  doc.moveDown(0.6);

  // The table of findings.
  const cols = [{ t: '序号', w: 0.08 }, { t: '问题类别', w: 0.18 }, { t: '位置（道路 桩号）', w: 0.26 }, { t: '问题描述', w: 0.32 }, { t: '整改期限', w: 0.16 }];
  const row = (cells: string[], bold: boolean) => {
    const y = doc.y;
    let x = left;
    const heights = cells.map((c, i) => doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(9).heightOfString(c, { width: cols[i].w * width - 8 }));
    const h = Math.max(...heights) + 8;
    if (y + h > doc.page.height - doc.page.margins.bottom) { doc.addPage(); return row(cells, bold); }
    cells.forEach((c, i) => {
      const cw = cols[i].w * width;
      doc.rect(x, y, cw, h).lineWidth(0.5).strokeColor('#444444').stroke();
      doc.fillColor('#000000').text(c, x + 4, y + 4, { width: cw - 8 });
      x += cw;
    });
    doc.x = left;
    doc.y = y + h;
  };
  row(cols.map((c) => c.t), true);
  n.findings.forEach((f, i) => row([
    String(i + 1),
    CATEGORY_ZH[f.category] ?? f.category,
    [f.road_code, f.stake].filter(Boolean).join(' ') || `${f.lon.toFixed(5)}, ${f.lat.toFixed(5)}`,
    f.description ?? '',
    zhDate(f.deadline),
  ], false));

  // Per finding: a small map and the before photo.
  const boxW = (width - 12) / 2;
  const boxH = 150;
  for (const [i, f] of n.findings.entries()) {
    if (doc.y + boxH + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    doc.moveDown(0.8).font('cjk-bold').fontSize(10).fillColor('#000000')
      .text(`${i + 1}. ${CATEGORY_ZH[f.category] ?? f.category}（问题编号 ${f.id}，${zhDate(shanghaiToday(new Date(f.found_at)))}发现）`, left);
    const y = doc.y + 4;
    await drawSiteMap(q, doc, left, y, boxW, boxH, { points: [{ lon: f.lon, lat: f.lat, label: String(i + 1) }], village: String(n.village) });
    const photo = await beforePhoto(q, f.photo_ids[0], mediaDir);
    const px = left + boxW + 12;
    if (photo) {
      doc.image(photo, px, y, { fit: [boxW, boxH], align: 'center', valign: 'center' });
    } else {
      doc.rect(px, y, boxW, boxH).lineWidth(0.5).strokeColor('#888888').stroke();
      doc.font('cjk').fontSize(12).fillColor('#888888').text('无照片', px, y + boxH / 2 - 8, { width: boxW, align: 'center' });
    }
    doc.font('cjk').fontSize(8).fillColor('#555555').text('位置示意图', left, y + boxH + 2, { width: boxW, align: 'center' });
    doc.text('整改前照片', px, y + boxH + 2, { width: boxW, align: 'center' });
    doc.x = left;
    doc.fillColor('#000000');
  }

  // Signature lines.
  if (doc.y + 120 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(2).font('cjk').fontSize(11).fillColor('#000000');
  const sy = doc.y;
  doc.text('签发单位（盖章）：________________', left, sy);
  doc.text(`签发人：________________`, left + width / 2, sy);
  doc.text(`签发日期：${zhDate(issuedDay)}`, left, sy + 28);
  doc.text('村委会签收人：________________', left, sy + 56);
  doc.text('签收日期：______年____月____日', left + width / 2, sy + 56);
  doc.end();
  return out;
}

