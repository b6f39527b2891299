/** Text from uploaded files: encodings (UTF-8, GBK), told apart or given. */
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { badFile } from '../errors.js';

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
    throw badFile('wrong_encoding', 'the file is not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk');
  }
  return { text, encoding };
}

export function encodeText(text: string, encoding: Encoding): Buffer {
  return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk');
}

export function isZip(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && (buf[2] === 3 || buf[2] === 5) && (buf[3] === 4 || buf[3] === 6);
}

/** Is the whole file valid UTF-8? Read through once in pieces (a character may span two). */
export async function isUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** A file's text as it streams, decoded in the given encoding (a character may span two chunks). */
export function decodedStream(path: string, encoding: Encoding): NodeJS.ReadableStream {
  return createReadStream(path, { highWaterMark: 1 << 20 }).pipe(iconv.decodeStream(encoding === 'utf-8' ? 'utf8' : 'gbk'));
}
