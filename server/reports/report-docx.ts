/** The monthly report as DOCX (the `docx` package): title, sections of sentences, the village table, the map. */
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Queryable } from '../db/index.js';
import type { MonthlyReport } from './monthly.js';
import { MAP_CAPTION, VILLAGE_COLUMNS, reportSections } from './report-text.js';
import { REPORT_MAP, reportMapPng } from './report-map.js';

const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, size: 18 })] })] });

export async function reportDocx(db: Queryable, r: MonthlyReport): Promise<Buffer> {
  const { intro, sections } = reportSections(r);
  const png = await reportMapPng(db, r);
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: r.title, bold: true, size: 36 })] }),
    new Paragraph({ indent: { firstLine: 480 }, spacing: { after: 120 }, children: [new TextRun(intro)] }),
  ];
  for (const s of sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: s.heading, bold: true })] }));
    for (const p of s.paragraphs) body.push(new Paragraph({ indent: { firstLine: 480 }, spacing: { after: 80 }, children: [new TextRun(p)] }));
  }
  body.push(new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: VILLAGE_COLUMNS.map((c) => cell(c.zh, true)) }),
      ...r.villages.map((v) => new TableRow({ children: VILLAGE_COLUMNS.map((c) => cell(c.value(v))) })),
      ...(r.villages.length > 1 ? [new TableRow({ children: VILLAGE_COLUMNS.map((c, i) => cell(i === 0 ? '合计' : c.value(r.total), true)) })] : []),
    ],
  }));
  body.push(new Paragraph({ spacing: { before: 240 }, alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: png, transformation: { width: REPORT_MAP.width * 1.25, height: REPORT_MAP.height * 1.25 } })] }));
  body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: MAP_CAPTION, size: 18 })] }));
  const doc = new Document({
    creator: '整治一张图',
    title: r.title,
    styles: { default: { document: { run: { font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' }, size: 24 } } } },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(doc);
}
