/**
 * Reading printed PDFs back in tests: their text (pdf.js through pdf-parse) and their pages as
 * PNG files to look at. One PDF library for every test file: the api tier runs its files in one
 * process, and two copies of pdf.js there interfered.
 */
import { writeFileSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';

/** All the text of a PDF, with the whitespace between runs removed (CJK text has none). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, '');
  } finally {
    await parser.destroy();
  }
}

/** Writes pages of a PDF as PNG files named by `file(page)`, where pdf.js has its canvas. */
export async function pdfPagePngs(pdf: Buffer, file: (page: number) => string, opts: { first?: number } = {}): Promise<void> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const shot = await parser.getScreenshot({ scale: 1.5, ...opts });
    shot.pages.forEach((p, i) => writeFileSync(file(i + 1), p.data));
  } finally {
    await parser.destroy();
  }
}
