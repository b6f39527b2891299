/**
 * Exports a collection's features (as the items route reads them: GeoJSON in WGS84 with id and
 * properties) to GeoJSON, zipped Shapefile, GeoPackage, KML, CSV or XLSX, in WGS84, CGCS2000 or
 * a CGCS2000 Gauss-Kruger zone. Tables carry Chinese headers (the properties' labels, which the
 * importer maps back), lon/lat for points (x/y in a projected CRS), wkt for lines and polygons.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { zipSync } from 'fflate';
import { PassThrough } from 'node:stream';
import type { CollectionDef, PropertyDef } from '../collections/registry.js';
import { esriWkt, fromWgs84, transformGeometry, WGS84, type Crs } from './crs.js';
import { dbfNames, shapeKind, writeDbf, writeShp, type DbfField } from './shapefile-write.js';
import { encodeText, type Encoding } from './text.js';
import { writeGpkgGeometry, writeWkt, bboxOf, type Geom } from './wkb.js';
import { sqlite } from './read-gpkg.js';

export type ExportFormat = 'geojson' | 'shp' | 'gpkg' | 'kml' | 'csv' | 'xlsx';

export interface ExportFeature {
  id: number | string;
  geometry: Geom | null;
  properties: Record<string, unknown>;
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  extension: string;
}

const CONTENT_TYPES: Record<ExportFormat, [string, string]> = {
  geojson: ['application/geo+json', 'geojson'],
  shp: ['application/zip', 'zip'],
  gpkg: ['application/geopackage+sqlite3', 'gpkg'],
  kml: ['application/vnd.google-earth.kml+xml', 'kml'],
  csv: ['text/csv; charset=utf-8', 'csv'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
};

/** The exported attribute columns: id and the collection's properties (with source columns: withSourceColumns). */
function columns(c: CollectionDef) {
  return [{ name: 'id', label: 'ID', type: 'integer' as const }, ...c.properties.map((p) => ({ name: p.name, label: p.label.zh, type: p.type }))];
}

const esc = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!);

function kml(c: CollectionDef, features: ExportFeature[]): string {
  const coords = (p: number[][]) => p.map((q) => `${q[0]},${q[1]}`).join(' ');
  const ring = (r: number[][]) => `<LinearRing><coordinates>${coords(r)}</coordinates></LinearRing>`;
  const poly = (p: number[][][]) => `<Polygon><outerBoundaryIs>${ring(p[0])}</outerBoundaryIs>${p.slice(1).map((h) => `<innerBoundaryIs>${ring(h)}</innerBoundaryIs>`).join('')}</Polygon>`;
  const geom = (g: Geom): string => {
    const k = g.coordinates as never;
    switch (g.type) {
      case 'Point': return `<Point><coordinates>${(k as number[])[0]},${(k as number[])[1]}</coordinates></Point>`;
      case 'LineString': return `<LineString><coordinates>${coords(k)}</coordinates></LineString>`;
      case 'Polygon': return poly(k);
      case 'MultiLineString': return `<MultiGeometry>${(k as number[][][]).map((l) => `<LineString><coordinates>${coords(l)}</coordinates></LineString>`).join('')}</MultiGeometry>`;
      case 'MultiPolygon': return `<MultiGeometry>${(k as number[][][][]).map(poly).join('')}</MultiGeometry>`;
    }
    return '';
  };
  const hasName = c.properties.some((p) => p.name === 'name');
  const placemarks = features.map((f) => {
    const data = columns(c).map((col) => {
      const v = col.name === 'id' ? f.id : f.properties[col.name];
      return v === null || v === undefined ? '' : `<Data name="${esc(col.name)}"><value>${esc(String(v))}</value></Data>`;
    }).join('');
    const name = hasName && f.properties.name ? `<name>${esc(String(f.properties.name))}</name>` : '';
    return `<Placemark>${name}<ExtendedData>${data}</ExtendedData>${f.geometry ? geom(f.geometry) : ''}</Placemark>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${esc(c.title.zh)}</name>\n${placemarks.join('\n')}\n</Document></kml>\n`;
}

/** Rows for CSV and XLSX: header (Chinese labels) and values; points as lon/lat (x/y), others as wkt. */
function table(c: CollectionDef, features: ExportFeature[], crs: Crs): { header: string[]; rows: unknown[][] } {
  const cols = columns(c);
  const allPoints = features.every((f) => !f.geometry || f.geometry.type === 'Point');
  const coordHeader = allPoints ? (crs.geographic ? ['lon', 'lat'] : ['x', 'y']) : ['wkt'];
  const digits = crs.geographic ? 8 : 3;
  const rows = features.map((f) => {
    const values = cols.map((col) => (col.name === 'id' ? f.id : f.properties[col.name] ?? null));
    if (allPoints) {
      const p = f.geometry?.coordinates as number[] | undefined;
      values.push(p ? Number(p[0].toFixed(digits)) : null, p ? Number(p[1].toFixed(digits)) : null);
    } else values.push(f.geometry ? writeWkt(f.geometry) : null);
    return values;
  });
  return { header: [...cols.map((col) => col.label), ...coordHeader], rows };
}

async function gpkg(c: CollectionDef, features: ExportFeature[], crs: Crs): Promise<Buffer> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    const srsId = crs.epsg ?? 4326;
    db.exec(`PRAGMA application_id = 1196444487; PRAGMA user_version = 10200;
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name));`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run(['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null]);
    srs.run(['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null]);
    if (srsId !== 4326) srs.run(['WGS 84', 4326, 'EPSG', 4326, esriWkt(WGS84), null]);
    srs.run([crs.name, srsId, 'EPSG', srsId, esriWkt(crs), null]);
    srs.free();
    // Source columns are named by the imported file, so names are quoted as SQL identifiers.
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const cols = c.properties.map((p) => `${q(p.name)} ${p.type === 'number' ? 'REAL' : p.type === 'integer' ? 'INTEGER' : p.type === 'date' ? 'DATE' : p.type === 'datetime' ? 'DATETIME' : 'TEXT'}`);
    const types = new Set(features.map((f) => f.geometry?.type).filter(Boolean));
    const gtype = types.size === 1 ? [...types][0]!.toUpperCase() : 'GEOMETRY';
    db.exec(`CREATE TABLE "${c.id}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${gtype}, ${cols.join(', ')})`);
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    const ins = db.prepare(`INSERT INTO "${c.id}" (fid, geom, ${c.properties.map((p) => q(p.name)).join(', ')}) VALUES (?, ?, ${c.properties.map(() => '?').join(', ')})`);
    db.exec('BEGIN');
    for (const f of features) {
      if (f.geometry) {
        const b = bboxOf(f.geometry);
        box[0] = Math.min(box[0], b[0]); box[1] = Math.min(box[1], b[1]); box[2] = Math.max(box[2], b[2]); box[3] = Math.max(box[3], b[3]);
      }
      ins.run([Number(f.id), f.geometry ? writeGpkgGeometry(f.geometry, srsId) : null, ...c.properties.map((p) => f.properties[p.name] ?? null)]);
    }
    db.exec('COMMIT');
    ins.free();
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [c.id, 'features', c.id, c.title.zh, ...(Number.isFinite(box[0]) ? box : [null, null, null, null]), srsId]);
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [c.id, 'geom', gtype, srsId]);
    return Buffer.from(db.export());
  } finally {
    db.close();
  }
}

function shapefileZip(c: CollectionDef, features: ExportFeature[], crs: Crs, encoding: Encoding): Buffer {
  const props = ['id', ...c.properties.map((p) => p.name)];
  const names = dbfNames(props, encoding);
  const fields: DbfField[] = props.map((name) => {
    if (name === 'id') return { property: 'id', type: 'N' };
    const def = c.properties.find((p) => p.name === name)!;
    if (def.type === 'number') return { property: name, type: 'N', decimals: 6 };
    if (def.type === 'integer') return { property: name, type: 'N' };
    if (def.type === 'date') return { property: name, type: 'D' };
    return { property: name, type: 'C' };
  });
  const groups = new Map<string, ExportFeature[]>();
  for (const f of features) {
    const k = f.geometry ? shapeKind(f.geometry.type) : 'Point';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  if (!groups.size) groups.set(shapeKind(c.geometryTypes[0]), []);
  const files: Record<string, Uint8Array> = {};
  const suffix = { Point: 'point', PolyLine: 'line', Polygon: 'polygon' } as const;
  for (const [kind, group] of groups) {
    const base = groups.size > 1 ? `${c.id}_${suffix[kind as keyof typeof suffix]}` : c.id;
    const { shp, shx } = writeShp(kind as 'Point', group.map((f) => f.geometry));
    files[`${base}.shp`] = shp;
    files[`${base}.shx`] = shx;
    files[`${base}.dbf`] = writeDbf(fields, names, group.map((f) => ({ ...f.properties, id: f.id })), encoding);
    files[`${base}.prj`] = encodeText(esriWkt(crs), 'utf-8');
    files[`${base}.cpg`] = encodeText(encoding === 'gbk' ? 'GBK' : 'UTF-8', 'utf-8');
  }
  return Buffer.from(zipSync(files, { level: 6 }));
}

/**
 * An XLSX written row by row (exceljs's streaming writer, inline strings): 200,000 rows take a
 * few seconds and little memory, where the in-memory workbook took 10 s and over 1 GB.
 */
export async function xlsxStream(sheet: string, header: string[], rows: unknown[][]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => chunks.push(d));
  const done = new Promise<void>((resolve, reject) => { sink.on('end', resolve); sink.on('error', reject); });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheet.slice(0, 31));
  ws.columns = header.map(() => ({ width: 14 }));
  const head = ws.addRow(header);
  head.font = { bold: true };
  head.commit();
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}

/** At most this many source attributes become columns (a dBASE table holds 255 fields in all). */
export const MAX_SOURCE_COLUMNS = 100;

/** Adds the attributes of one record to `kinds`: number where every value is a number, else text. */
function addKinds(kinds: Map<string, 'number' | 'text'>, record: Record<string, unknown>, skip: (name: string) => boolean = () => false): void {
  for (const [k, v] of Object.entries(record)) {
    if (skip(k)) continue;
    if (v === null || v === undefined) { if (!kinds.has(k)) kinds.set(k, 'number'); continue; }
    kinds.set(k, typeof v === 'number' && kinds.get(k) !== 'text' ? 'number' : 'text');
  }
}

/** A column found on the features (not in the registry), labelled by its own name. */
function foundColumn(name: string, kind: 'number' | 'text'): PropertyDef {
  return kind === 'number'
    ? { name, label: { zh: name, en: name }, type: 'number', min: -Infinity, max: Infinity }
    : { name, label: { zh: name, en: name }, type: 'text', maxLength: 254 };
}

/** A value for a text or number column: objects and lists as JSON. */
const flat = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);

/**
 * The attributes an import kept beyond the collection's properties (`source`), as columns after
 * them, so that a file exported after an import carries the fields it came with (BSM, 备注, …)
 * and imports back the same way. A name taken by a column (or its Chinese label) gets `src_` in
 * front. The `id` a feature had in its file is not a column (see below).
 * Numbers where every value is a number, else text (objects as JSON).
 */
function withSourceColumns(c: CollectionDef, features: ExportFeature[]): { def: CollectionDef; features: ExportFeature[] } {
  const kinds = new Map<string, 'number' | 'text'>();
  for (const f of features) {
    const source = f.properties.source;
    if (!source || typeof source !== 'object') continue;
    // The id the feature had in its file stays in `source` only: the ID column is ours, and
    // writing both would add a column at every export and import round.
    addKinds(kinds, source as Record<string, unknown>, (k) => k.toLowerCase() === 'id' || (!kinds.has(k) && kinds.size >= MAX_SOURCE_COLUMNS));
  }
  if (!kinds.size) return { def: c, features };
  const taken = new Set(['id', 'fid', 'geom', 'lon', 'lat', 'x', 'y', 'wkt', 'source', ...c.properties.flatMap((p) => [p.name, p.label.zh])].map((n) => n.toLowerCase()));
  const columnOf = new Map<string, string>();
  for (const k of kinds.keys()) {
    let name = taken.has(k.toLowerCase()) ? `src_${k}` : k;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `src_${k}_${i}`;
    taken.add(name.toLowerCase());
    columnOf.set(k, name);
  }
  const extra = [...kinds].map(([k, kind]) => foundColumn(columnOf.get(k)!, kind));
  return {
    def: { ...c, properties: [...c.properties, ...extra] },
    features: features.map((f) => {
      const source = f.properties.source as Record<string, unknown> | null | undefined;
      if (!source || typeof source !== 'object') return f;
      const properties = { ...f.properties };
      for (const [k, v] of Object.entries(source)) {
        const name = columnOf.get(k);
        if (name) properties[name] = flat(v);
      }
      return { ...f, properties };
    }),
  };
}

export async function exportFeatures(collection: CollectionDef, wgs84Features: ExportFeature[], format: ExportFormat, crs: Crs, encoding: Encoding): Promise<ExportFile> {
  const [contentType, extension] = CONTENT_TYPES[format];
  // GeoJSON keeps `source` as the object the items give (and the importer reads back).
  const { def: c, features: wgs84 } = format === 'geojson' ? { def: collection, features: wgs84Features } : withSourceColumns(collection, wgs84Features);
  // KML is WGS84 by definition.
  const target = format === 'kml' ? WGS84 : crs;
  const t = fromWgs84(target);
  const features = target.epsg === 4326 || target.epsg === 4490 ? wgs84 : wgs84.map((f) => ({ ...f, geometry: f.geometry ? transformGeometry(f.geometry, t) : null }));
  let body: Buffer;
  switch (format) {
    case 'geojson': {
      const fc: Record<string, unknown> = { type: 'FeatureCollection', name: c.id };
      if (target.epsg !== 4326) fc.crs = { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${target.epsg}` } };
      fc.features = features.map((f) => ({ type: 'Feature', id: f.id, geometry: f.geometry, properties: f.properties }));
      body = Buffer.from(JSON.stringify(fc));
      break;
    }
    case 'kml': body = Buffer.from(kml(c, features)); break;
    case 'csv': {
      const { header, rows } = table(c, features, target);
      // A byte-order mark so that Excel opens the UTF-8 Chinese headers correctly.
      body = Buffer.from(`\uFEFF${stringify([header, ...rows])}`);
      break;
    }
    case 'xlsx': {
      const { header, rows } = table(c, features, target);
      body = await xlsxStream(c.title.zh, header, rows);
      break;
    }
    case 'gpkg': body = await gpkg(c, features, target); break;
    case 'shp': body = shapefileZip(c, features, target, encoding); break;
  }
  return { body, contentType, extension };
}

/**
 * An analysis result (a FeatureCollection with its own properties) as a file: the columns are
 * the properties found on its features (numbers where every value is a number, else text).
 */
export async function exportFeatureCollection(name: string, fc: { features: { geometry: unknown; properties?: Record<string, unknown> | null }[] }, format: ExportFormat, crs: Crs, encoding: Encoding): Promise<ExportFile> {
  const kinds = new Map<string, 'number' | 'text'>();
  for (const f of fc.features) addKinds(kinds, f.properties ?? {});
  const properties = [...kinds].filter(([k]) => k !== 'id').map(([k, kind]) => foundColumn(k, kind));
  const def: CollectionDef = {
    id: name.replace(/[^a-z0-9_]/gi, '_'), table: name, title: { zh: name, en: name }, description: { zh: '', en: '' },
    geometryTypes: [...new Set(fc.features.map((f) => (f.geometry as Geom | null)?.type).filter(Boolean))] as CollectionDef['geometryTypes'],
    properties, temporal: 'created_at',
  };
  const features = fc.features.map((f, i) => {
    const p: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) p[k] = flat(v);
    return { id: i + 1, geometry: (f.geometry as Geom | null) ?? null, properties: p };
  });
  return exportFeatures(def, features, format, crs, encoding);
}
