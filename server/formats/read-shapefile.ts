/**
 * Shapefiles from the files of an unpacked zip: shapes streamed from the .shp (the shapefile
 * package reads a path incrementally), attributes read from the .dbf by position, one batch of
 * records at a time, so neither file is ever in memory whole.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import * as shapefile from 'shapefile';
import { badRequest, badFile } from '../errors.js';
import { crsOfPrj, type Crs } from './crs.js';
import { decodeText, isUtf8Bytes, type Encoding } from './text.js';
import type { Geom } from './wkb.js';
import type { OpenedFile, SourceFeature } from './opened.js';
import { firstOf } from './opened.js';

/**
 * The platform's decoder where it has one: Node's TextDecoder decodes GBK (as GB18030, its
 * superset) six times faster than iconv-lite for short fields; a Node built without full ICU
 * has none, and iconv-lite does it.
 */
function textDecoder(encoding: Encoding): TextDecoder | undefined {
  try {
    return new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'gbk');
  } catch {
    return undefined;
  }
}

interface DbfField { name: string; type: string; length: number; offset: number }

/** A .dbf on disk: its fields, its record count and a reader of consecutive records. */
interface Dbf {
  fields: string[];
  count: number;
  /** Records from..from+n-1 (null for a deleted one). */
  records(from: number, n: number, encoding: Encoding): Promise<(Record<string, unknown> | null)[]>;
  /** Are all its text bytes valid UTF-8? (read through once, in pieces) */
  isUtf8(): Promise<boolean>;
  close(): Promise<void>;
}

async function openDbf(path: string, encoding: Encoding | undefined): Promise<Dbf> {
  const fh: FileHandle = await open(path, 'r');
  const { size } = await fh.stat();
  const head = Buffer.alloc(32);
  await fh.read(head, 0, 32, 0);
  if (size < 32) {
    await fh.close();
    throw badFile('unreadable_file', 'the .dbf is too short to be a dBASE file');
  }
  const n = head.readUInt32LE(4);
  const headerLength = head.readUInt16LE(8);
  const recordLength = head.readUInt16LE(10);
  const header = Buffer.alloc(headerLength);
  await fh.read(header, 0, headerLength, 0);
  const fields: DbfField[] = [];
  let offset = 1;
  for (let o = 32; o + 32 <= headerLength && header[o] !== 0x0d; o += 32) {
    const raw = header.subarray(o, o + 11);
    const end = raw.indexOf(0);
    const name = decodeText(raw.subarray(0, end < 0 ? 11 : end), encoding).text.trim();
    const length = header[o + 16];
    fields.push({ name, type: String.fromCharCode(header[o + 11]), length, offset });
    offset += length;
  }
  if (headerLength + n * recordLength > size + 1) {
    await fh.close();
    throw badFile('unreadable_file', `the .dbf says it has ${n} records but is cut short; send the whole file`);
  }
  const readRecords = async (from: number, count: number) => {
    const buf = Buffer.alloc(count * recordLength);
    const { bytesRead } = await fh.read(buf, 0, buf.length, headerLength + from * recordLength);
    return buf.subarray(0, bytesRead);
  };
  return {
    fields: fields.map((f) => f.name),
    count: n,
    async records(from, want, enc) {
      const count = Math.max(0, Math.min(want, n - from));
      const buf = await readRecords(from, count);
      const decoder = textDecoder(enc);
      const text = (bytes: Buffer) => (decoder ? decoder.decode(bytes) : iconv.decode(bytes, 'gbk'));
      const out: (Record<string, unknown> | null)[] = [];
      for (let r = 0; r < count; r++) {
        const start = r * recordLength;
        if (buf[start] === 0x2a) { out.push(null); continue; } // deleted
        const rec: Record<string, unknown> = {};
        for (const f of fields) {
          const bytes = buf.subarray(start + f.offset, start + f.offset + f.length);
          const t = f.type === 'C' ? text(bytes).replace(/[\0 ]+$/, '') : bytes.toString('latin1').trim();
          let value: unknown = t === '' ? null : t;
          if (value !== null) {
            if (f.type === 'N' || f.type === 'F') value = /^[*?]+$/.test(t) ? null : Number(t);
            else if (f.type === 'L') value = /^[YyTt]$/.test(t) ? true : /^[NnFf]$/.test(t) ? false : null;
            else if (f.type === 'D') value = /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
          }
          rec[f.name] = value;
        }
        out.push(rec);
      }
      return out;
    },
    async isUtf8() {
      // Whole records at a time: a character never spans two records.
      const per = Math.max(1, Math.floor((4 << 20) / Math.max(1, recordLength)));
      for (let from = 0; from < n; from += per) {
        if (!isUtf8Bytes(await readRecords(from, Math.min(per, n - from)))) return false;
      }
      return true;
    },
    close: () => fh.close(),
  };
}

/** Shapes of a .shp one by one (the shapefile package reads them incrementally). */
async function* shapes(shpPath: string, base: string): AsyncGenerator<Geom | null> {
  let source: Awaited<ReturnType<typeof shapefile.openShp>>;
  try {
    source = await shapefile.openShp(shpPath);
  } catch (e) {
    throw badFile('unreadable_file', `the .shp of ${base} is not readable (${(e as Error).message}); send the whole file`);
  }
  for (;;) {
    let r: { done: boolean; value: unknown };
    try {
      r = await source.read();
    } catch (e) {
      throw badFile('unreadable_file', `the .shp of ${base} is not readable (${(e as Error).message}); send the whole file`);
    }
    if (r.done) return;
    yield (r.value as Geom | null) ?? null;
  }
}

/**
 * The Shapefiles of a zip, by base name: their parts' paths by extension (shp, dbf, prj, cpg).
 * Several Shapefiles import together when they share a coordinate system.
 */
export async function openShapefile(byBase: Map<string, Map<string, string>>, given?: Encoding): Promise<OpenedFile> {
  const warnings: string[] = [];
  const fields = new Set<string>();
  let crs: Crs | undefined;
  let encoding: Encoding | undefined;
  const sets: { base: string; shp: string; dbf: string; encoding: Encoding; count: number }[] = [];
  for (const [base, parts] of byBase) {
    if (!parts.has('shp') && !parts.has('dbf')) continue;
    const missing = ['shp', 'dbf'].filter((e) => !parts.has(e));
    if (missing.length) throw badFile('incomplete_shapefile', `the Shapefile ${base} has no .${missing.join(' and .')} in the zip; a Shapefile needs ${base}.shp, ${base}.shx and ${base}.dbf (and ${base}.prj)`);
    // Encoding: the ?encoding parameter, else the .cpg, else detected from the attributes.
    const cpg = parts.has('cpg') ? (await readFile(parts.get('cpg')!)).toString('latin1').trim() : undefined;
    let enc = given;
    if (!enc && cpg) {
      const e = /utf-?8|65001/i.test(cpg) ? 'utf-8' : /gbk|936|gb2312|gb18030/i.test(cpg) ? 'gbk' : undefined;
      if (e) enc = e;
      else warnings.push(`${base}.cpg names ${cpg.slice(0, 40)}, which is not UTF-8 or GBK; the encoding was detected from the attributes`);
    }
    const dbf = await openDbf(parts.get('dbf')!, enc);
    try {
      // The records only: the header holds binary lengths and counts.
      if (!enc || given === 'utf-8') {
        const utf8 = await dbf.isUtf8();
        if (given === 'utf-8' && !utf8) throw badFile('wrong_encoding', `the attributes of ${base}.dbf are not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk`);
        enc ??= utf8 ? 'utf-8' : 'gbk';
      }
      dbf.fields.forEach((f) => fields.add(f));
      sets.push({ base, shp: parts.get('shp')!, dbf: parts.get('dbf')!, encoding: enc, count: dbf.count });
    } finally {
      await dbf.close();
    }
    encoding = enc;
    const prj = parts.get('prj');
    const setCrs = prj ? crsOfPrj(decodeText(await readFile(prj)).text) : undefined;
    if (crs && setCrs && crs.proj4 !== setCrs.proj4) throw badRequest(`the zip holds Shapefiles in different coordinate systems (${crs.name}, ${setCrs.name}); import them one at a time`);
    crs ??= setCrs;
  }
  async function* features(size: number): AsyncGenerator<SourceFeature[]> {
    let batch: SourceFeature[] = [];
    for (const set of sets) {
      const dbf = await openDbf(set.dbf, set.encoding);
      try {
        let i = 0;
        let records: (Record<string, unknown> | null)[] = [];
        let first = 0;
        for await (const geometry of shapes(set.shp, set.base)) {
          if (i - first >= records.length) {
            first = i;
            records = await dbf.records(i, size, set.encoding);
          }
          const rec = i < set.count ? records[i - first] : {};
          i++;
          if (rec === null) continue; // deleted in the .dbf
          batch.push({ type: 'Feature', geometry, properties: rec ?? {} });
          if (batch.length >= size) {
            yield batch;
            batch = [];
          }
        }
        if (i !== set.count) warnings.push(`${set.base}.shp has ${i} shapes but ${set.base}.dbf ${set.count} records; they were matched in order`);
      } finally {
        await dbf.close();
      }
    }
    if (batch.length) yield batch;
  }
  return { format: 'shp', crs, fields: [...fields], warnings, encoding, sample: await firstOf(features(100)), batches: features };
}
