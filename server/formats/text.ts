/** Text and archives from uploaded files: encodings (UTF-8, GBK) and zip with its bomb guard. */
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { unzipSync } from 'fflate';
import { badRequest, HttpError } from '../errors.js';

export type Encoding = 'utf-8' | 'gbk';

export function parseEncoding(raw: string | undefined): Encoding | undefined {
  if (!raw) return undefined;
  const s = raw.trim().toLowerCase().replace(/_/g, '-');
  if (s === 'utf-8' || s === 'utf8') return 'utf-8';
  if (s === 'gbk' || s === 'gb2312' || s === 'gb18030' || s === 'cp936' || s === '936') return 'gbk';
  return undefined;
}

/** Is this valid UTF-8? (checked in place, nothing decoded; ASCII is both) */
export function isUtf8Bytes(buf: Uint8Array): boolean {
  return isUtf8(buf);
}

/**
 * Decodes text in the given encoding, or detects it: a UTF-8 byte-order mark or valid UTF-8 is
 * UTF-8, anything else is read as GBK (what Chinese Windows software writes). Returns which.
 */
export function decodeText(buf: Uint8Array, given?: Encoding): { text: string; encoding: Encoding } {
  const encoding = given ?? (isUtf8Bytes(buf) ? 'utf-8' : 'gbk');
  let text = encoding === 'utf-8' ? Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8') : iconv.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), 'gbk');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (given === 'utf-8' && text.includes('\uFFFD')) {
    throw badRequest('the file is not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk');
  }
  return { text, encoding };
}

export function encodeText(text: string, encoding: Encoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk');
}

export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5) && (buf[3] === 4 || buf[3] === 6);
}

/**
 * Unpacks a zip, refusing one that would unpack to more than maxBytes (declared sizes are
 * checked before anything is inflated, and each entry's real size after) or that holds more than
 * 1000 entries. Names are kept as they are (folders included); macOS __MACOSX entries are skipped.
 */
export function unzip(buf: Uint8Array, maxBytes: number): Map<string, Uint8Array> {
  let total = 0;
  let entries = 0;
  let files: Record<string, Uint8Array>;
  const bomb = (what: string) => new HttpError(413, 'payload_too_large', `the zip ${what}, more than the ${Math.round(maxBytes / 1024 / 1024)} MB allowed unpacked (a zip bomb?); nothing was written`);
  try {
    files = unzipSync(buf, {
      filter: (f) => {
        if (f.name.startsWith('__MACOSX/') || f.name.endsWith('/')) return false;
        entries++;
        total += f.originalSize;
        if (entries > 1000) throw bomb('has more than 1000 files');
        if (total > maxBytes) throw bomb(`unpacks to ${Math.round(total / 1024 / 1024)} MB`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw badRequest(`the file is not a readable zip (${(e as Error).message}); send the zip as it was made`);
  }
  let real = 0;
  for (const v of Object.values(files)) real += v.length;
  if (real > maxBytes) throw bomb(`unpacks to ${Math.round(real / 1024 / 1024)} MB`);
  return new Map(Object.entries(files));
}
