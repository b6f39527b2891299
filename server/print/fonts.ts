/**
 * Fonts and the PDF document of every printout. The CJK font is Noto Sans SC from the npm package
 * @expo-google-fonts/noto-sans-sc (SIL Open Font License), so printing needs no system font;
 * pdfkit embeds only the glyphs a document uses.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const FONT_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));

/** The TTF file of Noto Sans SC in this weight. */
export function cjkFont(weight: 'regular' | 'bold'): string {
  return weight === 'bold'
    ? join(FONT_DIR, '700Bold', 'NotoSansSC_700Bold.ttf')
    : join(FONT_DIR, '400Regular', 'NotoSansSC_400Regular.ttf');
}

/** A new A4 document with the CJK fonts registered as 'cjk' and 'cjk-bold' ('cjk' is selected). */
export function newPdf(): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Producer: '整治一张图 Remediation Map', Creator: '整治一张图 Remediation Map' } });
  doc.registerFont('cjk', cjkFont('regular'));
  doc.registerFont('cjk-bold', cjkFont('bold'));
  doc.font('cjk');
  return doc;
}

/** Collects a finished document into one buffer (call before doc.end()). */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}
