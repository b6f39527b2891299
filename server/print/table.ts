/** A plain table for pdfkit documents: a bold header row, thin rules, a new page (with the header again) when full. */
export interface PdfColumn { header: string; width: number; align?: 'left' | 'right' | 'center' }

export function drawTable(doc: PDFKit.PDFDocument, columns: PdfColumn[], rows: (string | number)[][], opts: { fontSize?: number; fill?: (row: number) => string | null } = {}): void {
  const size = opts.fontSize ?? 8;
  const left = doc.page.margins.left;
  const pad = 2;
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i].width - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], font: string, fill: string | null) => {
    const h = rowHeight(cells, font);
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (fill) doc.save().rect(left, y, columns.reduce((w, c) => w + c.width, 0), h).fill(fill).restore();
    let x = left;
    doc.font(font).fontSize(size).fillColor('#000000');
    cells.forEach((c, i) => {
      doc.text(c, x + pad, y + pad, { width: columns[i].width - 2 * pad, align: columns[i].align ?? 'left', lineBreak: true });
      x += columns[i].width;
    });
    doc.save().lineWidth(0.4).strokeColor('#999999').moveTo(left, y + h).lineTo(x, y + h).stroke().restore();
    doc.x = left;
    doc.y = y + h;
  };
  const drawHeader = () => drawRow(columns.map((c) => c.header), 'cjk-bold', '#eeeeee');
  drawHeader();
  rows.forEach((r, i) => drawRow(r.map(String), 'cjk', opts.fill?.(i) ?? null));
  doc.font('cjk');
}
