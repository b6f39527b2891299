/**
 * Reads an uploaded file of any supported format into plain GeoJSON-like features in the file's
 * own coordinates, with the coordinate system the file declares (if any) and the attribute
 * names found. convert.ts then transforms, maps fields and hands them to the one import path.
 *
 * Formats are told by their bytes (zip, SQLite, XML root, JSON), the file name and the content
 * type only break ties (a zip holding .shp is a Shapefile, one holding .kml a KMZ, one holding
 * xl/ a spreadsheet).
 */
import { DOMParser } from '@xmldom/xmldom';
import { gpx as gpxToGeoJson, kml as kmlToGeoJson } from '@tmcw/togeojson';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseCsvStream } from 'csv-parse';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import * as shapefile from 'shapefile';
import { badRequest } from '../errors.js';
import { crsOfEpsg, crsOfPrj, parseCrsParam, type Crs } from './crs.js';
import { decodeText, isUtf8Bytes, isZip, unzip, type Encoding } from './text.js';
import iconv from 'iconv-lite';
import { readGpkgGeometry, readWkt, type Geom } from './wkb.js';

export interface SourceFeature {
  type: 'Feature';
  geometry: Geom | null;
  properties: Record<string, unknown>;
}

export type Format = 'geojson' | 'shp' | 'gpkg' | 'kml' | 'kmz' | 'gpx' | 'csv' | 'xlsx';

export interface ReadResult {
  format: Format;
  features: SourceFeature[];
  /** The coordinate system the file declares (.prj, GeoPackage SRS); undefined: none. */
  crs?: Crs;
  /** For tables: the coordinates are given as x/y (projected) rather than lon/lat. */
  tableCoordinates?: 'lonlat' | 'xy' | 'wkt';
  fields: string[];
  warnings: string[];
  encoding?: Encoding;
}

/**
 * A file opened for import: what it is and a first sample of its features, and its features in
 * batches. CSV and Shapefiles are decoded batch by batch (their rows never all exist as objects
 * at once); the other formats are read whole and handed out in batches.
 */
export interface OpenedFile extends Omit<ReadResult, 'features'> {
  /** Up to the first 100 features (for telling the coordinate system). */
  sample: SourceFeature[];
  batches(size: number): AsyncGenerator<SourceFeature[]>;
}

function fromArray(r: ReadResult): OpenedFile {
  const { features, ...meta } = r;
  return {
    ...meta,
    sample: features.slice(0, 100),
    async *batches(size: number) {
      for (let i = 0; i < features.length; i += size) yield features.slice(i, i + size);
    },
  };
}

/** The whole file at once (tests, small files). */
export async function readFile(buf: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const opened = await openFile(buf, opts);
  const features: SourceFeature[] = [];
  for await (const b of opened.batches(10_000)) for (const f of b) features.push(f);
  const { sample: _sample, batches: _batches, ...meta } = opened;
  return { ...meta, features };
}

export interface ReadOptions {
  filename?: string;
  contentType?: string;
  encoding?: Encoding;
  /** Largest total a zip may unpack to. */
  maxUnzippedBytes: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

function ext(name: string): string {
  return /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
}

export async function openFile(buf: Uint8Array, opts: ReadOptions): Promise<OpenedFile> {
  if (buf.length === 0) throw badRequest('the file is empty; nothing to import');
  const name = opts.filename ?? '';
  const type = (opts.contentType ?? '').toLowerCase();
  if (isZip(buf)) {
    const files = unzip(buf, opts.maxUnzippedBytes);
    const names = [...files.keys()];
    if (names.some((n) => ext(n) === 'shp' || ext(n) === 'dbf')) return openShapefile(files, opts.encoding);
    if (names.some((n) => ext(n) === 'kml')) {
      const kml = names.find((n) => /(^|\/)doc\.kml$/i.test(n)) ?? names.find((n) => ext(n) === 'kml')!;
      return fromArray({ ...readXml(files.get(kml)!, 'kml', opts.encoding), format: 'kmz' });
    }
    if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('xl/'))) return fromArray(await readXlsx(buf));
    if (names.some((n) => ext(n) === 'shx' || ext(n) === 'prj')) throw badRequest('the zip has no .shp and .dbf; a Shapefile needs at least name.shp, name.shx and name.dbf (and name.prj for its coordinate system)');
    throw badRequest(`the zip holds ${names.slice(0, 5).join(', ') || 'nothing'}${names.length > 5 ? ', …' : ''}: no Shapefile (.shp + .dbf), KML or spreadsheet in it`);
  }
  if (buf.length >= 16 && Buffer.from(buf.subarray(0, 16)).toString('latin1') === SQLITE_MAGIC) return fromArray(await readGpkg(buf));
  if (ext(name) === 'zip' || type.includes('zip') || ext(name) === 'kmz' || ext(name) === 'xlsx') {
    throw badRequest(`the file${name ? ` ${name}` : ''} is not a zip archive; a Shapefile must be uploaded as a .zip of its .shp, .shx, .dbf, .prj (and .cpg) files`);
  }
  if (ext(name) === 'shp' || ext(name) === 'dbf') throw badRequest('a Shapefile is several files: zip name.shp, name.shx, name.dbf, name.prj (and name.cpg) together and upload the zip');
  if (ext(name) === 'gpkg' || type.includes('geopackage')) throw badRequest('the file is not a GeoPackage (no SQLite header)');
  const head = Buffer.from(buf.subarray(0, 2048)).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (head.startsWith('<')) {
    if (/<gpx[\s>]/.test(head)) return fromArray(readXml(buf, 'gpx', opts.encoding));
    if (/<kml[\s>]/.test(head)) return fromArray(readXml(buf, 'kml', opts.encoding));
    throw badRequest('the XML file is neither KML (<kml>) nor GPX (<gpx>)');
  }
  if (head.startsWith('{') && !(ext(name) === 'csv' || type.includes('csv'))) return fromArray(readGeoJson(buf));
  if (ext(name) === 'geojson' || ext(name) === 'json' || type.includes('json')) throw badRequest('the file is not JSON; a GeoJSON file starts with {"type": "FeatureCollection", …');
  return openCsv(buf, opts.encoding);
}

function readGeoJson(buf: Uint8Array): ReadResult {
  let doc: { type?: string; features?: unknown[]; geometry?: unknown };
  try {
    doc = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw badRequest(`the file is not valid JSON: ${(e as Error).message}`);
  }
  const features = doc.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc.type === 'Feature' ? [doc] : undefined;
  if (!features) throw badRequest('the JSON is not a GeoJSON FeatureCollection (or Feature)');
  const fields = new Set<string>();
  for (const f of features.slice(0, 100)) for (const k of Object.keys((f as { properties?: object })?.properties ?? {})) fields.add(k);
  // GeoJSON is WGS84 (RFC 7946); the older `crs` member (as ogr2ogr and our exports write it) is honoured.
  const named = (doc as { crs?: { properties?: { name?: unknown } } }).crs?.properties?.name;
  const crs = typeof named === 'string' ? parseCrsParam(named) : undefined;
  return { format: 'geojson', features: features as SourceFeature[], crs, fields: [...fields], warnings: [] };
}

// ---------- Shapefile ----------

/** A DBF file: its field names and a decoder of record i (text in the given encoding). */
function openDbf(buf: Uint8Array, encoding: Encoding): { fields: string[]; count: number; record(i: number): Record<string, unknown> | null } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 32) throw badRequest('the .dbf is too short to be a dBASE file');
  const n = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const fields: { name: string; type: string; length: number; offset: number }[] = [];
  let offset = 1;
  for (let o = 32; o + 32 <= headerLength && buf[o] !== 0x0d; o += 32) {
    const raw = buf.subarray(o, o + 11);
    const end = raw.indexOf(0);
    const name = decodeText(raw.subarray(0, end < 0 ? 11 : end), encoding).text.trim();
    const length = buf[o + 16];
    fields.push({ name, type: String.fromCharCode(buf[o + 11]), length, offset });
    offset += length;
  }
  if (headerLength + n * recordLength > buf.length + 1) throw badRequest(`the .dbf says it has ${n} records but is cut short; send the whole file`);
  const decoder = encoding === 'utf-8' ? new TextDecoder('utf-8') : undefined;
  const text = (bytes: Uint8Array) => (decoder ? decoder.decode(bytes) : iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gbk'));
  return {
    fields: fields.map((f) => f.name),
    count: n,
    record(r: number) {
      if (r >= n) return {};
      const start = headerLength + r * recordLength;
      if (buf[start] === 0x2a) return null; // deleted
      const rec: Record<string, unknown> = {};
      for (const f of fields) {
        const bytes = buf.subarray(start + f.offset, start + f.offset + f.length);
        const t = f.type === 'C' ? text(bytes).replace(/[\0 ]+$/, '') : Buffer.from(bytes).toString('latin1').trim();
        let value: unknown = t === '' ? null : t;
        if (value !== null) {
          if (f.type === 'N' || f.type === 'F') value = /^[*?]+$/.test(t) ? null : Number(t);
          else if (f.type === 'L') value = /^[YyTt]$/.test(t) ? true : /^[NnFf]$/.test(t) ? false : null;
          else if (f.type === 'D') value = /^\d{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
        }
        rec[f.name] = value;
      }
      return rec;
    },
  };
}

/** Shapes of a .shp one by one (the shapefile package reads them incrementally). */
async function* shapes(shp: Uint8Array, base: string): AsyncGenerator<Geom | null> {
  const source = await shapefile.openShp(shp);
  for (;;) {
    let r: { done: boolean; value: unknown };
    try {
      r = await source.read();
    } catch (e) {
      throw badRequest(`the .shp of ${base} is not readable (${(e as Error).message}); send the whole file`);
    }
    if (r.done) return;
    yield (r.value as Geom | null) ?? null;
  }
}

async function openShapefile(files: Map<string, Uint8Array>, given?: Encoding): Promise<OpenedFile> {
  const byBase = new Map<string, Map<string, Uint8Array>>();
  for (const [name, data] of files) {
    const m = /^(.*)\.([A-Za-z]+)$/.exec(name);
    if (!m) continue;
    const base = m[1];
    if (!byBase.has(base)) byBase.set(base, new Map());
    byBase.get(base)!.set(m[2].toLowerCase(), data);
  }
  const warnings: string[] = [];
  const fields = new Set<string>();
  let crs: Crs | undefined;
  let encoding: Encoding | undefined;
  const sets: { base: string; shp: Uint8Array; dbf: ReturnType<typeof openDbf> }[] = [];
  for (const [base, parts] of byBase) {
    if (!parts.has('shp') && !parts.has('dbf')) continue;
    const missing = ['shp', 'dbf'].filter((e) => !parts.has(e));
    if (missing.length) throw badRequest(`the Shapefile ${base} has no .${missing.join(' and .')} in the zip; a Shapefile needs ${base}.shp, ${base}.shx and ${base}.dbf (and ${base}.prj)`);
    // Encoding: the ?encoding parameter, else the .cpg, else detected from the attributes.
    const cpg = parts.get('cpg') ? Buffer.from(parts.get('cpg')!).toString('latin1').trim() : undefined;
    const dbf = parts.get('dbf')!;
    let enc = given;
    if (!enc && cpg) {
      const e = /utf-?8|65001/i.test(cpg) ? 'utf-8' : /gbk|936|gb2312|gb18030/i.test(cpg) ? 'gbk' : undefined;
      if (e) enc = e;
      else warnings.push(`${base}.cpg names ${cpg.slice(0, 40)}, which is not UTF-8 or GBK; the encoding was detected from the attributes`);
    }
    // The records only: the header holds binary lengths and counts.
    const records = dbf.subarray(Math.min(dbf.length, dbf.length >= 10 ? new DataView(dbf.buffer, dbf.byteOffset).getUint16(8, true) : 0));
    enc ??= isUtf8Bytes(records) ? 'utf-8' : 'gbk';
    if (given === 'utf-8' && !isUtf8Bytes(records)) throw badRequest(`the attributes of ${base}.dbf are not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk`);
    encoding = enc;
    const prj = parts.get('prj');
    const setCrs = prj ? crsOfPrj(decodeText(prj).text) : undefined;
    if (crs && setCrs && crs.proj4 !== setCrs.proj4) throw badRequest(`the zip holds Shapefiles in different coordinate systems (${crs.name}, ${setCrs.name}); import them one at a time`);
    crs ??= setCrs;
    const opened = openDbf(dbf, enc);
    opened.fields.forEach((n) => fields.add(n));
    sets.push({ base, shp: parts.get('shp')!, dbf: opened });
  }
  async function* features(size: number): AsyncGenerator<SourceFeature[]> {
    let batch: SourceFeature[] = [];
    for (const set of sets) {
      let i = 0;
      for await (const geometry of shapes(set.shp, set.base)) {
        const rec = set.dbf.record(i++);
        if (rec === null) continue; // deleted in the .dbf
        batch.push({ type: 'Feature', geometry, properties: rec });
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (i !== set.dbf.count) warnings.push(`${set.base}.shp has ${i} shapes but ${set.base}.dbf ${set.dbf.count} records; they were matched in order`);
    }
    if (batch.length) yield batch;
  }
  const sample: SourceFeature[] = [];
  for await (const b of features(100)) {
    sample.push(...b);
    break;
  }
  return { format: 'shp', crs, fields: [...fields], warnings, encoding, sample, batches: features };
}

// ---------- GeoPackage ----------

let sqlJs: Promise<import('sql.js').SqlJsStatic> | undefined;
async function sqlite() {
  sqlJs ??= import('sql.js').then((m) => (m.default as unknown as (o?: object) => Promise<import('sql.js').SqlJsStatic>)());
  return sqlJs;
}
export { sqlite };

async function readGpkg(buf: Uint8Array): Promise<ReadResult> {
  const SQL = await sqlite();
  let db: import('sql.js').Database;
  try {
    db = new SQL.Database(buf);
  } catch (e) {
    throw badRequest(`the GeoPackage is not a readable SQLite file (${(e as Error).message})`);
  }
  try {
    const rows = (sql: string, params: unknown[] = []) => {
      const st = db.prepare(sql);
      st.bind(params as never);
      const out: Record<string, unknown>[] = [];
      while (st.step()) out.push(st.getAsObject());
      st.free();
      return out;
    };
    let layers: Record<string, unknown>[];
    try {
      layers = rows(`SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition
        FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
        LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE c.data_type = 'features' ORDER BY c.table_name`);
    } catch {
      throw badRequest('the SQLite file is not a GeoPackage (no gpkg_contents / gpkg_geometry_columns tables)');
    }
    if (!layers.length) throw badRequest('the GeoPackage has no feature table');
    const layer = layers[0];
    const warnings = layers.length > 1 ? [`the GeoPackage has ${layers.length} feature tables; only ${layer.table_name} was read`] : [];
    let crs: Crs | undefined;
    const org = String(layer.organization ?? '').toUpperCase();
    if (org === 'EPSG') crs = crsOfEpsg(Number(layer.organization_coordsys_id));
    if (!crs && layer.definition && String(layer.definition) !== 'undefined') crs = crsOfPrj(String(layer.definition));
    if (!crs && Number(layer.srs_id) !== 0 && Number(layer.srs_id) !== -1) throw badRequest(`unknown projection: the GeoPackage's SRS ${layer.srs_id} is not one this map reads; give it with ?crs=EPSG:…`);
    const table = String(layer.table_name).replace(/"/g, '""');
    const geomCol = String(layer.column_name);
    const info = rows(`PRAGMA table_info("${table}")`);
    const pk = info.find((c) => Number(c.pk) === 1)?.name;
    const fields = info.map((c) => String(c.name)).filter((n) => n !== geomCol && n !== pk);
    const features: SourceFeature[] = [];
    const st = db.prepare(`SELECT * FROM "${table}"`);
    while (st.step()) {
      const row = st.getAsObject();
      const blob = row[geomCol] as Uint8Array | null;
      const properties: Record<string, unknown> = {};
      for (const f of fields) properties[f] = row[f] instanceof Uint8Array ? null : row[f];
      features.push({ type: 'Feature', geometry: blob ? readGpkgGeometry(blob).geometry : null, properties });
    }
    st.free();
    return { format: 'gpkg', features, crs, fields, warnings };
  } finally {
    db.close();
  }
}

// ---------- KML / GPX ----------

/** KML's MultiGeometry arrives as a GeometryCollection: of one kind of part it is a Multi* geometry. */
function multiOf(g: Geom | null): Geom | null {
  const gc = g as unknown as { type: string; geometries?: Geom[] } | null;
  if (!gc || gc.type !== 'GeometryCollection' || !gc.geometries?.length) return g;
  const kinds = new Set(gc.geometries.map((p) => p.type.replace(/^Multi/, '')));
  if (kinds.size !== 1) return g;
  const kind = [...kinds][0];
  const parts = gc.geometries.flatMap((p) => (p.type.startsWith('Multi') ? (p.coordinates as unknown[]) : [p.coordinates]));
  return { type: `Multi${kind}`, coordinates: parts };
}

function readXml(buf: Uint8Array, kind: 'kml' | 'gpx', given?: Encoding): ReadResult {
  // XML says its encoding in its declaration; GBK KML files exist (older Chinese tools).
  const decl = /encoding=["']([^"']+)["']/i.exec(Buffer.from(buf.subarray(0, 200)).toString('latin1'))?.[1];
  const enc = given ?? (decl && /gb/i.test(decl) ? 'gbk' : decl && /utf-?8/i.test(decl) ? 'utf-8' : undefined);
  const { text } = decodeText(buf, enc);
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(text, 'text/xml');
  if (errors.length && !doc.documentElement) throw badRequest(`the ${kind.toUpperCase()} is not well-formed XML: ${errors[0].slice(0, 200)}`);
  const fc = (kind === 'kml' ? kmlToGeoJson(doc as never) : gpxToGeoJson(doc as never)) as { features: SourceFeature[] };
  const fields = new Set<string>();
  const features = fc.features.map((f) => {
    const p = { ...(f.properties ?? {}) } as Record<string, unknown>;
    if (kind === 'gpx') {
      // Tracks, routes and waypoints alike; the per-vertex times stay out (a long track's list would
      // not fit the source attributes), the first one is the track's `time` when it has none.
      const times = (p.coordinateProperties as { times?: unknown } | undefined)?.times;
      const first = Array.isArray(times) ? (Array.isArray(times[0]) ? times[0][0] : times[0]) : undefined;
      if (p.time === undefined && typeof first === 'string') p.time = first;
      delete p.coordinateProperties;
      p.gpx_type = p._gpxType === 'rte' ? 'route' : p._gpxType === 'trk' ? 'track' : f.geometry?.type === 'Point' ? 'waypoint' : p._gpxType;
      delete p._gpxType;
    } else {
      for (const k of ['styleUrl', 'styleHash', 'styleMapHash', 'stroke', 'stroke-opacity', 'stroke-width', 'fill', 'fill-opacity', 'icon', 'visibility']) delete p[k];
    }
    Object.keys(p).forEach((k) => fields.add(k));
    return { type: 'Feature' as const, geometry: multiOf(f.geometry), properties: p };
  });
  return { format: kind, features, fields: [...fields], warnings: [] };
}

// ---------- CSV / XLSX ----------

const LON = /^(lon|lng|long|longitude|经度|x_?lon)$/i;
const LAT = /^(lat|latitude|纬度|y_?lat)$/i;
const X = /^(x|easting|east|x坐标|横坐标|东坐标|y_?gk)$/i;
const Y = /^(y|northing|north|y坐标|纵坐标|北坐标)$/i;
const WKT = /^(wkt|geometry|geom|the_geom|几何)$/i;

interface TableMeta {
  header: string[];
  kind: 'lonlat' | 'xy' | 'wkt';
  wkt: number;
  ix: number;
  iy: number;
  coordCols: Set<number>;
  warnings: string[];
}

const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : NaN);

/** Which columns hold the coordinates (from the header and a sample of rows). */
function tableMeta(header: string[], sampleRows: unknown[][]): TableMeta {
  const find = (re: RegExp) => header.findIndex((h) => re.test(h.trim()));
  const wkt = find(WKT);
  let ix = find(LON);
  let iy = find(LAT);
  let kind: TableMeta['kind'] = 'lonlat';
  const warnings: string[] = [];
  if (wkt < 0 && (ix < 0 || iy < 0)) {
    ix = find(X);
    iy = find(Y);
    kind = 'xy';
    if (ix < 0 || iy < 0) throw badRequest(`the table has no coordinate columns; name them lon and lat (经度, 纬度), x and y, or give a wkt column. Its columns: ${header.slice(0, 20).join(', ')}`);
  }
  if (wkt >= 0) kind = 'wkt';
  // Chinese surveys call the northing X and the easting Y; an x column holding northings is swapped.
  if (kind === 'xy') {
    const sample = sampleRows.slice(0, 50).map((r) => [num(r[ix]), num(r[iy])]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    const eastingLike = (v: number) => (v >= 100_000 && v <= 900_000) || v >= 10_000_000;
    if (sample.length && sample.every(([a, b]) => !eastingLike(a) && eastingLike(b))) {
      [ix, iy] = [iy, ix];
      warnings.push('the x column holds northings and y eastings (the surveying convention); they were read as such');
    }
  }
  return { header, kind, wkt, ix, iy, coordCols: new Set([wkt, ix, iy].filter((i) => i >= 0)), warnings };
}

/** Rows to features; `first` is the index of the first row among the data rows (row n + 2 in the file). */
function rowsToFeatures(m: TableMeta, rows: unknown[][], first: number): SourceFeature[] {
  return rows.map((r, k) => {
    const n = first + k;
    const properties: Record<string, unknown> = {};
    m.header.forEach((h, i) => {
      if (m.coordCols.has(i) || !h) return;
      const v = r[i];
      properties[h] = v === '' || v === undefined ? null : v;
    });
    let geometry: Geom | null = null;
    if (m.kind === 'wkt') {
      const text = r[m.wkt];
      if (typeof text === 'string' && text.trim()) {
        try {
          geometry = readWkt(text);
        } catch (e) {
          properties.__geometry_error = `row ${n + 2}: ${(e as Error).message}`;
        }
      }
    } else {
      const x = num(r[m.ix]);
      const y = num(r[m.iy]);
      if (Number.isFinite(x) && Number.isFinite(y)) geometry = { type: 'Point', coordinates: [x, y] };
      else properties.__geometry_error = `row ${n + 2}: the coordinates ${JSON.stringify(r[m.ix] ?? '')}, ${JSON.stringify(r[m.iy] ?? '')} are not numbers`;
    }
    return { type: 'Feature', geometry, properties };
  });
}

function tableResult(format: 'csv' | 'xlsx', header: string[], rows: unknown[][], encoding?: Encoding): ReadResult {
  const m = tableMeta(header, rows);
  return { format, features: rowsToFeatures(m, rows, 0), fields: header.filter((h, i) => h && !m.coordCols.has(i)), warnings: m.warnings, tableCoordinates: m.kind, encoding };
}

/** Text of a buffer in pieces of about 1 MB, decoded as it goes (no whole-file string). */
function* textChunks(buf: Uint8Array, encoding: Encoding): Generator<string> {
  const CHUNK = 1 << 20;
  const decoder = encoding === 'utf-8' ? new TextDecoder('utf-8') : undefined;
  const gbk = encoding === 'gbk' ? iconv.getDecoder('gbk') : undefined;
  for (let o = 0; o < buf.length; o += CHUNK) {
    const part = buf.subarray(o, Math.min(buf.length, o + CHUNK));
    yield decoder ? decoder.decode(part, { stream: true }) : gbk!.write(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
  }
  const rest = decoder ? decoder.decode() : gbk!.end();
  if (rest) yield rest;
}

/**
 * A CSV table: header and the first rows parsed at once (to find the coordinate columns), then
 * the rows streamed through csv-parse batch by batch.
 */
function openCsv(buf: Uint8Array, given?: Encoding): OpenedFile {
  const encoding: Encoding = given ?? (isUtf8Bytes(buf) ? 'utf-8' : 'gbk');
  if (given === 'utf-8' && !isUtf8Bytes(buf)) throw badRequest('the file is not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk');
  // The first 64 KB up to its last line break (a newline byte is never part of a UTF-8 or GBK character).
  const cut = buf.length > 64 * 1024 ? buf.subarray(0, 64 * 1024).lastIndexOf(0x0a) + 1 : buf.length;
  const head = decodeText(buf.subarray(0, cut > 0 ? cut : Math.min(buf.length, 64 * 1024)), encoding).text;
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0);
  const delimiter = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const options = { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true } as const;
  let records: string[][];
  try {
    records = parseCsv(head, { ...options, relax_quotes: true });
  } catch (e) {
    throw badRequest(`the file is not a readable CSV table (${(e as Error).message}); supported files are GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, GPX, CSV and XLSX`);
  }
  if (records.length < 2) throw badRequest('the CSV has no data rows (the first row must name the columns)');
  const header = records[0].map((h) => String(h).trim());
  const meta = tableMeta(header, records.slice(1, 51));
  async function* batches(size: number): AsyncGenerator<SourceFeature[]> {
    const parser = parseCsvStream({ ...options, from_line: 2 });
    const feed = Readable.from(textChunks(buf, encoding));
    feed.pipe(parser);
    let rows: string[][] = [];
    let first = 0;
    try {
      for await (const rec of parser as AsyncIterable<string[]>) {
        rows.push(rec);
        if (rows.length >= size) {
          yield rowsToFeatures(meta, rows, first);
          first += rows.length;
          rows = [];
        }
      }
    } catch (e) {
      throw badRequest(`the CSV cannot be read after row ${first + rows.length + 1} (${(e as Error).message})`);
    } finally {
      feed.destroy();
    }
    if (rows.length) yield rowsToFeatures(meta, rows, first);
  }
  return {
    format: 'csv', fields: header.filter((h, i) => h && !meta.coordCols.has(i)), warnings: meta.warnings, tableCoordinates: meta.kind, encoding,
    sample: rowsToFeatures(meta, records.slice(1, 101), 0), batches,
  };
}

async function readXlsx(buf: Uint8Array): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) as never);
  } catch (e) {
    throw badRequest(`the spreadsheet is not a readable XLSX file (${(e as Error).message})`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw badRequest('the workbook has no worksheet');
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1).map((v) => {
      if (v instanceof Date) return v.toISOString();
      if (v && typeof v === 'object') {
        const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
        if (o.richText) return o.richText.map((t) => t.text).join('');
        if (o.result !== undefined) return o.result;
        if (o.text !== undefined) return o.text;
      }
      return v ?? '';
    });
    rows.push(values);
  });
  if (rows.length < 2) throw badRequest('the first worksheet has no data rows (the first row must name the columns)');
  return tableResult('xlsx', rows[0].map((h) => String(h ?? '').trim()), rows.slice(1));
}
