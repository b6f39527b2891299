/**
 * Opens an uploaded file of any supported format (already on disk: formats/spool.ts) as plain
 * GeoJSON-like features in the file's own coordinates, with the coordinate system the file
 * declares (if any) and the attribute names found. convert.ts then transforms, maps fields and
 * hands them to the one import path. Each format has its reader (read-*.ts); the features come
 * in batches read from the file as they are asked for.
 *
 * Formats are told by their bytes (zip, SQLite, XML root, JSON), the file name and the content
 * type only break ties (a zip holding .shp is a Shapefile, one holding .kml a KMZ, one holding
 * xl/ a spreadsheet).
 */
import { badFile } from '../errors.js';
import { isZip, type Encoding } from './text.js';
import { spoolBuffer, type SpooledFile } from './spool.js';
import { openZip } from './zip.js';
import { openGeoJson } from './read-geojson.js';
import { openShapefile } from './read-shapefile.js';
import { openGpkg } from './read-gpkg.js';
import { openXml } from './read-xml.js';
import { openCsv, openXlsx } from './read-table.js';
import type { OpenedFile, ReadResult } from './opened.js';

export type { Format, OpenedFile, ReadResult, SourceFeature } from './opened.js';

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

export async function openFile(file: SpooledFile, opts: ReadOptions): Promise<OpenedFile> {
  if (file.size === 0) throw badFile('no_features', 'the file is empty; nothing to import');
  const buf = file.head;
  const name = opts.filename ?? '';
  const type = (opts.contentType ?? '').toLowerCase();
  if (isZip(buf)) return openZipped(file, opts);
  if (buf.length >= 16 && buf.subarray(0, 16).toString('latin1') === SQLITE_MAGIC) return openGpkg(file.path);
  if (ext(name) === 'zip' || type.includes('zip') || ext(name) === 'kmz' || ext(name) === 'xlsx') {
    throw badFile('unreadable_file', `the file${name ? ` ${name}` : ''} is not a zip archive; a Shapefile must be uploaded as a .zip of its .shp, .shx, .dbf, .prj (and .cpg) files`);
  }
  if (ext(name) === 'shp' || ext(name) === 'dbf') throw badFile('incomplete_shapefile', 'a Shapefile is several files: zip name.shp, name.shx, name.dbf, name.prj (and name.cpg) together and upload the zip');
  if (ext(name) === 'gpkg' || type.includes('geopackage')) throw badFile('unreadable_file', 'the file is not a GeoPackage (no SQLite header)');
  const head = buf.subarray(0, 2048).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (head.startsWith('<')) {
    if (/<gpx[\s>]/.test(head)) return openXml(file.path, 'gpx', opts.encoding);
    if (/<kml[\s>]/.test(head)) return openXml(file.path, 'kml', opts.encoding);
    throw badFile('unsupported_file', 'the XML file is neither KML (<kml>) nor GPX (<gpx>)');
  }
  if (head.startsWith('{') && !(ext(name) === 'csv' || type.includes('csv'))) return openGeoJson(file.path, 'file');
  if (ext(name) === 'geojson' || ext(name) === 'json' || type.includes('json')) throw badFile('unreadable_file', 'the file is not JSON; a GeoJSON file starts with {"type": "FeatureCollection", …');
  return openCsv(file, opts.encoding);
}

/** A zip: a Shapefile (or several), a KMZ, or an XLSX workbook. */
async function openZipped(file: SpooledFile, opts: ReadOptions): Promise<OpenedFile> {
  const zip = await openZip(file.path, file.dir, opts.maxUnzippedBytes);
  try {
    const names = zip.names;
    if (names.some((n) => ext(n) === 'shp' || ext(n) === 'dbf')) {
      // The parts of each Shapefile by base name, unpacked into the scratch folder.
      const byBase = new Map<string, Map<string, string>>();
      for (const n of names) {
        const m = /^(.*)\.(shp|shx|dbf|prj|cpg)$/i.exec(n);
        if (!m) continue;
        if (!byBase.has(m[1])) byBase.set(m[1], new Map());
        byBase.get(m[1])!.set(m[2].toLowerCase(), await zip.extract(n));
      }
      return await openShapefile(byBase, opts.encoding);
    }
    if (names.some((n) => ext(n) === 'kml')) {
      const kml = names.find((n) => /(^|\/)doc\.kml$/i.test(n)) ?? names.find((n) => ext(n) === 'kml')!;
      return { ...(await openXml(await zip.extract(kml), 'kml', opts.encoding)), format: 'kmz' };
    }
    if (names.includes('[Content_Types].xml') && names.some((n) => n.startsWith('xl/'))) return await openXlsx(file.path);
    if (names.some((n) => ext(n) === 'shx' || ext(n) === 'prj')) throw badFile('incomplete_shapefile', 'the zip has no .shp and .dbf; a Shapefile needs at least name.shp, name.shx and name.dbf (and name.prj for its coordinate system)');
    throw badFile('unsupported_file', `the zip holds ${names.slice(0, 5).join(', ') || 'nothing'}${names.length > 5 ? ', …' : ''}: no Shapefile (.shp + .dbf), KML or spreadsheet in it`);
  } finally {
    zip.close();
  }
}

/** The whole file at once, from bytes in memory (tests, exports read back). */
export async function readFile(buf: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const file = await spoolBuffer(buf);
  try {
    const opened = await openFile(file, opts);
    const features = [];
    for await (const b of opened.batches(10_000)) features.push(...b);
    const { sample: _sample, batches: _batches, close: _close, ...meta } = opened;
    return { ...meta, features };
  } finally {
    await file.dispose();
  }
}
