/**
 * Writes zipped Shapefiles by hand: .shp/.shx (points, polylines, polygons with the ring
 * orientation the format asks for: outer rings clockwise, holes counter-clockwise), .dbf (field
 * names within 10 bytes, names and text in UTF-8 or GBK), .prj (ESRI WKT) and .cpg (the encoding).
 * A collection with points and polygons gives one Shapefile per geometry kind in the zip.
 */
import { decodeText, encodeText, type Encoding } from './text.js';
import { bboxOf, type Geom } from './wkb.js';

export interface DbfField {
  /** Property the values come from. */
  property: string;
  type: 'C' | 'N' | 'D';
  decimals?: number;
}

const SHAPE = { Point: 1, PolyLine: 3, Polygon: 5 } as const;
type Kind = keyof typeof SHAPE;

export function shapeKind(type: string): Kind {
  if (type === 'Point' || type === 'MultiPoint') return 'Point';
  if (type === 'LineString' || type === 'MultiLineString') return 'PolyLine';
  return 'Polygon';
}

const area2 = (ring: number[][]) => {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a; // > 0: clockwise
};

function partsOf(g: Geom): number[][][] {
  const c = g.coordinates as never;
  switch (g.type) {
    case 'LineString': return [c];
    case 'MultiLineString': return c;
    case 'Polygon':
    case 'MultiPolygon': {
      const polys: number[][][][] = g.type === 'Polygon' ? [c] : c;
      const rings: number[][][] = [];
      for (const poly of polys) {
        poly.forEach((ring, i) => {
          const cw = area2(ring) > 0;
          rings.push(cw === (i === 0) ? ring : [...ring].reverse());
        });
      }
      return rings;
    }
  }
  return [];
}

function header(buf: DataView, kind: Kind, lengthBytes: number, box: number[]) {
  buf.setInt32(0, 9994, false);
  buf.setInt32(24, lengthBytes / 2, false);
  buf.setInt32(28, 1000, true);
  buf.setInt32(32, SHAPE[kind], true);
  box.forEach((v, i) => buf.setFloat64(36 + 8 * i, v, true));
}

export function writeShp(kind: Kind, geoms: (Geom | null)[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = geoms.map((g) => {
    if (!g) {
      const b = new DataView(new ArrayBuffer(4));
      b.setInt32(0, 0, true);
      return new Uint8Array(b.buffer);
    }
    if (kind === 'Point') {
      const p = (g.type === 'MultiPoint' ? (g.coordinates as number[][])[0] : g.coordinates) as number[];
      const b = new DataView(new ArrayBuffer(20));
      b.setInt32(0, 1, true);
      b.setFloat64(4, p[0], true);
      b.setFloat64(12, p[1], true);
      return new Uint8Array(b.buffer);
    }
    const parts = partsOf(g);
    const n = parts.reduce((s, p) => s + p.length, 0);
    const b = new DataView(new ArrayBuffer(44 + 4 * parts.length + 16 * n));
    b.setInt32(0, SHAPE[kind], true);
    bboxOf(g).forEach((v, i) => b.setFloat64(4 + 8 * i, v, true));
    b.setInt32(36, parts.length, true);
    b.setInt32(40, n, true);
    let o = 44;
    let start = 0;
    for (const p of parts) { b.setInt32(o, start, true); o += 4; start += p.length; }
    for (const p of parts) for (const q of p) { b.setFloat64(o, q[0], true); b.setFloat64(o + 8, q[1], true); o += 16; }
    return new Uint8Array(b.buffer);
  });
  const shpLength = 100 + contents.reduce((s, c) => s + 8 + c.length, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * contents.length);
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const g of geoms) if (g) { const b = bboxOf(g); box[0] = Math.min(box[0], b[0]); box[1] = Math.min(box[1], b[1]); box[2] = Math.max(box[2], b[2]); box[3] = Math.max(box[3], b[3]); }
  const bb = geoms.some(Boolean) ? box : [0, 0, 0, 0];
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  header(sv, kind, shpLength, bb);
  header(xv, kind, shx.length, bb);
  let o = 100;
  contents.forEach((c, i) => {
    sv.setInt32(o, i + 1, false);
    sv.setInt32(o + 4, c.length / 2, false);
    shp.set(c, o + 8);
    xv.setInt32(100 + 8 * i, o / 2, false);
    xv.setInt32(104 + 8 * i, c.length / 2, false);
    o += 8 + c.length;
  });
  return { shp, shx };
}

/**
 * dBASE field names: at most 10 bytes in the file's encoding, unique (a clash gets a numbered
 * suffix). Letters of any script stay (备注 is 6 bytes in UTF-8, 4 in GBK), as ArcGIS and GDAL
 * write and read them with the .cpg's encoding; other characters become `_`.
 */
export function dbfNames(properties: string[], encoding: Encoding = 'utf-8'): string[] {
  const used = new Set<string>();
  return properties.map((p) => {
    const clean = [...p].map((ch) => (/^[\p{L}\p{N}_]$/u.test(ch) && encodable(ch, encoding) ? ch : '_')).join('');
    const base = fitText(clean, encoding, 10) || 'field';
    let name = base;
    for (let i = 1; used.has(name.toLowerCase()); i++) name = `${fitText(base, encoding, 10 - String(i).length)}${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

/** Can GBK hold this character (UTF-8 holds every one)? */
function encodable(ch: string, encoding: Encoding): boolean {
  return encoding === 'utf-8' || /^[\x20-\x7e]$/.test(ch) || decodeText(encodeText(ch, encoding), encoding).text === ch;
}

/** The longest start of `text`, in whole characters, that is at most `max` bytes in `encoding`. */
function fitText(text: string, encoding: Encoding, max: number): string {
  if (encodeText(text, encoding).length <= max) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = encodeText(ch, encoding).length;
    if (bytes + n > max) break;
    out += ch;
    bytes += n;
  }
  return out;
}

export function writeDbf(fields: DbfField[], names: string[], rows: Record<string, unknown>[], encoding: Encoding): Uint8Array {
  const cells = rows.map((r) => fields.map((f) => {
    const v = r[f.property];
    if (v === null || v === undefined || v === '') return null;
    if (f.type === 'N') return Buffer.from(typeof v === 'number' ? (f.decimals ? v.toFixed(f.decimals) : String(Math.round(v))) : String(v), 'latin1');
    if (f.type === 'D') return Buffer.from(String(v).slice(0, 10).replace(/-/g, ''), 'latin1');
    return encodeText(fitText(typeof v === 'object' ? JSON.stringify(v) : String(v), encoding, 254), encoding);
  }));
  // A loop, not Math.max(...cells): spreading 200,000 values overflows the stack.
  const lengths = fields.map((f, i) => {
    if (f.type === 'D') return 8;
    if (f.type === 'N') return 20;
    let max = 1;
    for (const c of cells) if ((c[i]?.length ?? 0) > max) max = c[i]!.length;
    return max;
  });
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + lengths.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const v = new DataView(out.buffer);
  const now = new Date();
  out[0] = 0x03;
  out[1] = now.getUTCFullYear() - 1900;
  out[2] = now.getUTCMonth() + 1;
  out[3] = now.getUTCDate();
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  out[29] = encoding === 'gbk' ? 0x4d : 0x00; // language driver: 0x4D = Chinese GBK (code page 936)
  fields.forEach((f, i) => {
    const o = 32 + 32 * i;
    out.set(encodeText(names[i], encoding), o);
    out[o + 11] = f.type.charCodeAt(0);
    out[o + 16] = lengths[i];
    out[o + 17] = f.type === 'N' ? f.decimals ?? 0 : 0;
  });
  out[headerLength - 1] = 0x0d;
  let o = headerLength;
  for (const row of cells) {
    out[o++] = 0x20;
    row.forEach((c, i) => {
      const len = lengths[i];
      out.fill(0x20, o, o + len);
      if (c) {
        // Numbers right-aligned, text left-aligned, as dBASE does.
        if (fields[i].type === 'N') out.set(c.subarray(0, len), o + len - Math.min(len, c.length));
        else out.set(c.subarray(0, len), o);
      }
      o += len;
    });
  }
  out[o] = 0x1a;
  return out;
}
