/**
 * WKB and WKT for the GeoJSON geometries the collections hold (2D; Z and M are dropped on read),
 * and the GeoPackage geometry blob (GPKG header + WKB). Hand-written: small, and no native module.
 */
export type Geom = { type: string; coordinates: unknown };

const TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'];

export function readWkb(buf: Uint8Array, start = 0): Geom {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = start;
  const geom = (): Geom => {
    const le = view.getUint8(o) === 1;
    o += 1;
    let t = view.getUint32(o, le);
    o += 4;
    // EWKB flags (Z 0x80000000, M 0x40000000, SRID 0x20000000) and ISO codes (1001 Z, 2001 M, 3001 ZM).
    let dims = 2;
    if (t & 0x80000000) dims++;
    if (t & 0x40000000) dims++;
    if (t & 0x20000000) o += 4;
    t &= 0x0fffffff;
    if (t >= 1000) {
      dims += t >= 3000 ? 2 : 1;
      t %= 1000;
    }
    const pos = () => {
      const p = [view.getFloat64(o, le), view.getFloat64(o + 8, le)];
      o += 8 * dims;
      return p;
    };
    const n = () => {
      const v = view.getUint32(o, le);
      o += 4;
      return v;
    };
    const line = () => Array.from({ length: n() }, pos);
    const poly = () => Array.from({ length: n() }, line);
    const type = TYPES[t];
    switch (t) {
      case 1: return { type, coordinates: pos() };
      case 2: return { type, coordinates: line() };
      case 3: return { type, coordinates: poly() };
      case 4: case 5: case 6: return { type, coordinates: Array.from({ length: n() }, () => geom().coordinates) };
      default: throw new Error(`WKB geometry type ${t} is not supported`);
    }
  };
  return geom();
}

export function writeWkb(g: Geom): Uint8Array {
  const parts: number[] = [];
  let size = 0;
  const count = (t: number, c: unknown): void => {
    size += 5;
    if (t === 1) { size += 16; return; }
    const arr = c as unknown[];
    size += 4;
    if (t === 2) size += 16 * arr.length;
    else if (t === 3) for (const r of arr as unknown[][]) size += 4 + 16 * r.length;
    else for (const m of arr) count(t - 3, m);
  };
  const t0 = TYPES.indexOf(g.type);
  if (t0 < 1) throw new Error(`geometry type ${g.type} cannot be written`);
  count(t0, g.coordinates);
  void parts;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let o = 0;
  const write = (t: number, c: unknown): void => {
    view.setUint8(o, 1);
    view.setUint32(o + 1, t, true);
    o += 5;
    const pos = (p: number[]) => {
      view.setFloat64(o, p[0], true);
      view.setFloat64(o + 8, p[1], true);
      o += 16;
    };
    const n = (v: number) => {
      view.setUint32(o, v, true);
      o += 4;
    };
    if (t === 1) return pos(c as number[]);
    const arr = c as unknown[];
    n(arr.length);
    if (t === 2) for (const p of arr as number[][]) pos(p);
    else if (t === 3) for (const r of arr as number[][][]) { n(r.length); for (const p of r) pos(p); }
    else for (const m of arr) write(t - 3, m);
  };
  write(t0, g.coordinates);
  return out;
}

/** Bounding box [minx, miny, maxx, maxy] of a geometry's positions. */
export function bboxOf(g: Geom): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    const a = c as unknown[];
    if (typeof a[0] === 'number') {
      const p = a as number[];
      if (p[0] < b[0]) b[0] = p[0];
      if (p[1] < b[1]) b[1] = p[1];
      if (p[0] > b[2]) b[2] = p[0];
      if (p[1] > b[3]) b[3] = p[1];
    } else a.forEach(walk);
  };
  walk(g.coordinates);
  return b;
}

/** GeoPackage geometry blob: "GP", version 0, flags (little endian, xy envelope), srs_id, envelope, WKB. */
export function writeGpkgGeometry(g: Geom, srsId: number): Uint8Array {
  const wkb = writeWkb(g);
  const out = new Uint8Array(8 + 32 + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47;
  out[1] = 0x50;
  out[2] = 0;
  out[3] = 0b0000_0011; // envelope [minx, maxx, miny, maxy], little endian
  view.setInt32(4, srsId, true);
  const [x0, y0, x1, y1] = bboxOf(g);
  [x0, x1, y0, y1].forEach((v, i) => view.setFloat64(8 + 8 * i, v, true));
  out.set(wkb, 40);
  return out;
}

export function readGpkgGeometry(blob: Uint8Array): { geometry: Geom | null; srsId: number } {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no GP header)');
  const flags = blob[3];
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const srsId = view.getInt32(4, (flags & 1) === 1);
  const envelope = [0, 32, 48, 48, 64][(flags >> 1) & 0b111] ?? 0;
  if ((flags >> 4) & 1) return { geometry: null, srsId }; // empty geometry
  return { geometry: readWkb(blob, 8 + envelope), srsId };
}

// ---------- WKT ----------

const num = (v: number) => String(Math.round(v * 1e9) / 1e9);

export function writeWkt(g: Geom): string {
  const pos = (p: number[]) => `${num(p[0])} ${num(p[1])}`;
  const line = (l: number[][]) => `(${l.map(pos).join(', ')})`;
  const poly = (p: number[][][]) => `(${p.map(line).join(', ')})`;
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Point': return `POINT (${pos(c)})`;
    case 'LineString': return `LINESTRING ${line(c)}`;
    case 'Polygon': return `POLYGON ${poly(c)}`;
    case 'MultiPoint': return `MULTIPOINT (${(c as number[][]).map((p) => `(${pos(p)})`).join(', ')})`;
    case 'MultiLineString': return `MULTILINESTRING (${(c as number[][][]).map(line).join(', ')})`;
    case 'MultiPolygon': return `MULTIPOLYGON (${(c as number[][][][]).map(poly).join(', ')})`;
  }
  throw new Error(`geometry type ${g.type} cannot be written as WKT`);
}

const WKT_TYPES: Record<string, string> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTIPOINT: 'MultiPoint', MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon',
};

/** Reads 2D WKT (Z/M ordinates dropped; an SRID=…; prefix ignored); throws with what is wrong. */
export function readWkt(text: string): Geom {
  const s = text.trim().replace(/^SRID=\d+;/i, '');
  const m = /^([A-Za-z]+)\s*(?:ZM|Z|M)?\s*/.exec(s);
  const type = m && WKT_TYPES[m[1].toUpperCase()];
  if (!type) throw new Error(`not WKT: ${JSON.stringify(s.slice(0, 30))}`);
  let i = m![0].length;
  const ws = () => { while (s[i] === ' ' || s[i] === '\n' || s[i] === '\t' || s[i] === '\r') i++; };
  const expect = (ch: string) => {
    ws();
    if (s[i] !== ch) throw new Error(`WKT: expected ${ch} at ${i}`);
    i++;
  };
  const pos = (): number[] => {
    ws();
    const mm = /^[-+0-9.eE]+(?:\s+[-+0-9.eE]+)+/.exec(s.slice(i));
    if (!mm) throw new Error(`WKT: expected coordinates at ${i}`);
    i += mm[0].length;
    const v = mm[0].trim().split(/\s+/).map(Number);
    if (v.some((x) => !Number.isFinite(x))) throw new Error('WKT: a coordinate is not a number');
    return [v[0], v[1]];
  };
  const list = <T>(item: () => T): T[] => {
    expect('(');
    const out = [item()];
    for (;;) {
      ws();
      if (s[i] === ',') { i++; out.push(item()); continue; }
      expect(')');
      return out;
    }
  };
  const maybeWrapped = () => {
    ws();
    if (s[i] === '(') { i++; const p = pos(); expect(')'); return p; }
    return pos();
  };
  const line = () => list(pos);
  const poly = () => list(line);
  let coordinates: unknown;
  switch (type) {
    case 'Point': coordinates = list(pos)[0]; break;
    case 'LineString': coordinates = line(); break;
    case 'Polygon': coordinates = poly(); break;
    case 'MultiPoint': coordinates = list(maybeWrapped); break;
    case 'MultiLineString': coordinates = list(line); break;
    case 'MultiPolygon': coordinates = list(poly); break;
  }
  ws();
  if (i !== s.length) throw new Error(`WKT: unexpected text after the geometry at ${i}`);
  return { type, coordinates };
}
