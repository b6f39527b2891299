/**
 * Tables with coordinates: CSV (streamed from the file through csv-parse) and XLSX (the first
 * worksheet, streamed row by row with ExcelJS's WorkbookReader). The header and the first rows
 * tell which columns hold the coordinates; the batches are then read from the start.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseCsvStream } from 'csv-parse';
import ExcelJS from 'exceljs';
import { badFile } from '../errors.js';
import { decodeText, decodedStream, isUtf8File, type Encoding } from './text.js';
import { readWkt, type Geom } from './wkb.js';
import type { OpenedFile, SourceFeature } from './opened.js';
import type { SpooledFile } from './spool.js';
import { shown } from '../collections/reasons.js';

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
    if (ix < 0 || iy < 0) throw badFile('no_coordinates', `the table has no coordinate columns; name them lon and lat (经度, 纬度), x and y, or give a wkt column. Its columns: ${header.slice(0, 20).join(', ')}`);
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
          properties.__geometry_error = { reason: `row ${n + 2}: ${(e as Error).message}`, code: 'wkt_unreadable', params: { row: n + 2, detail: (e as Error).message.slice(0, 200) } };
        }
      }
    } else {
      const x = num(r[m.ix]);
      const y = num(r[m.iy]);
      if (Number.isFinite(x) && Number.isFinite(y)) geometry = { type: 'Point', coordinates: [x, y] };
      else {
        const [sx, sy] = [shown(r[m.ix] ?? ''), shown(r[m.iy] ?? '')];
        properties.__geometry_error = { reason: `row ${n + 2}: the coordinates ${sx}, ${sy} are not numbers`, code: 'coordinates_not_numbers', params: { row: n + 2, x: sx, y: sy } };
      }
    }
    return { type: 'Feature', geometry, properties };
  });
}

/**
 * A CSV table: header and the first rows parsed from the head of the file (to find the
 * coordinate columns), then the rows streamed through csv-parse batch by batch.
 */
export async function openCsv(file: SpooledFile, given?: Encoding): Promise<OpenedFile> {
  const utf8 = given === 'gbk' ? false : await isUtf8File(file.path);
  const encoding: Encoding = given ?? (utf8 ? 'utf-8' : 'gbk');
  if (given === 'utf-8' && !utf8) throw badFile('wrong_encoding', 'the file is not valid UTF-8 (wrong encoding?); import it with ?encoding=gbk');
  // The first 64 KB up to its last line break (a newline byte is never part of a UTF-8 or GBK character).
  const buf = file.head;
  const cut = file.size > buf.length ? buf.lastIndexOf(0x0a) + 1 : buf.length;
  const head = decodeText(buf.subarray(0, cut > 0 ? cut : buf.length), encoding).text;
  const firstLine = head.slice(0, head.indexOf('\n') >>> 0);
  const delimiter = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0];
  const options = { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true } as const;
  let records: string[][];
  try {
    records = parseCsv(head, { ...options, relax_quotes: true });
  } catch (e) {
    throw badFile('unreadable_file', `the file is not a readable CSV table (${(e as Error).message}); supported files are GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, GPX, CSV and XLSX`);
  }
  if (records.length < 2) throw badFile('no_features', 'the CSV has no data rows (the first row must name the columns)');
  const header = records[0].map((h) => String(h).trim());
  const meta = tableMeta(header, records.slice(1, 51));
  async function* batches(size: number): AsyncGenerator<SourceFeature[]> {
    const parser = parseCsvStream({ ...options, from_line: 2 });
    const feed = decodedStream(file.path, encoding);
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
      throw badFile('unreadable_file', `the CSV cannot be read after row ${first + rows.length + 1} (${(e as Error).message})`);
    } finally {
      (feed as unknown as { destroy(): void }).destroy();
    }
    if (rows.length) yield rowsToFeatures(meta, rows, first);
  }
  return {
    format: 'csv', fields: header.filter((h, i) => h && !meta.coordCols.has(i)), warnings: meta.warnings, tableCoordinates: meta.kind, encoding,
    sample: rowsToFeatures(meta, records.slice(1, 101), 0), batches,
  };
}

/** A cell of the streamed worksheet as the plain value a CSV would hold. */
function cellValue(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.result !== undefined) return o.result;
    if (o.text !== undefined) return o.text;
  }
  return v ?? '';
}

/** The rows of the workbook's first worksheet, streamed (empty rows left out). */
async function* xlsxRows(path: string): AsyncGenerator<unknown[]> {
  // styles: 'cache' so that date cells come as dates, as with the whole-workbook reader.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = (row.values as unknown[]).slice(1).map(cellValue);
        if (values.some((v) => v !== '')) yield values;
      }
      return; // the first worksheet only
    }
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode) throw e;
    throw badFile('unreadable_file', `the spreadsheet is not a readable XLSX file (${(e as Error).message})`);
  }
}

export async function openXlsx(path: string): Promise<OpenedFile> {
  const head: unknown[][] = [];
  for await (const row of xlsxRows(path)) {
    head.push(row);
    if (head.length > 101) break;
  }
  if (head.length < 2) throw badFile('no_features', 'the first worksheet has no data rows (the first row must name the columns)');
  const header = head[0].map((h) => String(h ?? '').trim());
  const meta = tableMeta(header, head.slice(1, 51));
  async function* batches(size: number): AsyncGenerator<SourceFeature[]> {
    let rows: unknown[][] = [];
    let first = 0;
    let isHeader = true;
    for await (const row of xlsxRows(path)) {
      if (isHeader) { isHeader = false; continue; }
      rows.push(row);
      if (rows.length >= size) {
        yield rowsToFeatures(meta, rows, first);
        first += rows.length;
        rows = [];
      }
    }
    if (rows.length) yield rowsToFeatures(meta, rows, first);
  }
  return {
    format: 'xlsx', fields: header.filter((h, i) => h && !meta.coordCols.has(i)), warnings: meta.warnings, tableCoordinates: meta.kind,
    sample: rowsToFeatures(meta, head.slice(1, 101), 0), batches,
  };
}
