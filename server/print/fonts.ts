/**
 * Fonts and the PDF document of every printout. The CJK font is Noto Sans SC from the npm package
 * @expo-google-fonts/noto-sans-sc (TrueType, SIL Open Font License), so a fresh machine needs no
 * system font; pdfkit embeds only the glyphs a document uses.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const FONT_DIR = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));

/** The path of the Noto Sans SC TTF of this weight. */
export function cjkFont(weight: 'regular' | 'bold'): string {
  return weight === 'bold'
    ? join(FONT_DIR, '700Bold', 'NotoSansSC_700Bold.ttf')
    : join(FONT_DIR, '400Regular', 'NotoSansSC_400Regular.ttf');
}

const bytes = new Map<string, Buffer>();
/** The font file, read once per process (10 MB each; pdfkit subsets what a document uses). */
function fontBytes(weight: 'regular' | 'bold'): Buffer {
  let b = bytes.get(weight);
  if (!b) bytes.set(weight, (b = readFileSync(cjkFont(weight))));
  return b;
}

/** An A4 pdfkit document with the CJK fonts registered as 'cjk' and 'cjk-bold', 'cjk' selected. */
export function newPdf(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4', margin: 50,
    info: { Producer: '整治一张图 Remediation Map', Creator: '整治一张图 Remediation Map' },
    ...options,
  });
  doc.registerFont('cjk', fontBytes('regular'));
  doc.registerFont('cjk-bold', fontBytes('bold'));
  doc.font('cjk');
  return doc;
}

/**
 * The finished document as one buffer. By default this ends the document; with `end: false` the
 * caller collects first and calls doc.end() when it has drawn everything.
 */
export function pdfBuffer(doc: PDFKit.PDFDocument, { end = true } = {}): Promise<Buffer> {
  const done = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (end) doc.end();
  return done;
}
