/**
 * GeoPackage: the first feature table, read with sql.js (SQLite in WebAssembly: no native
 * module). SQLite needs the whole database in its memory, so the file is held once (at most
 * IMPORT_MAX_MB); the rows are stepped through one batch at a time, never all as objects.
 */
import { readFile } from 'node:fs/promises';
import { badFile } from '../errors.js';
import { crsOfEpsg, crsOfPrj, type Crs } from './crs.js';
import { readGpkgGeometry } from './wkb.js';
import type { OpenedFile, SourceFeature } from './opened.js';


let sqlJs: Promise<import('sql.js').SqlJsStatic> | undefined;
async function sqlite() {
  sqlJs ??= import('sql.js').then((m) => (m.default as unknown as (o?: object) => Promise<import('sql.js').SqlJsStatic>)());
  return sqlJs;
}
export { sqlite };

export async function openGpkg(path: string): Promise<OpenedFile> {
  const SQL = await sqlite();
  const buf = await readFile(path);
  let db: import('sql.js').Database;
  try {
    db = new SQL.Database(buf);
  } catch (e) {
    throw badFile('unreadable_file', `the GeoPackage is not a readable SQLite file (${(e as Error).message})`);
  }
  let owned = true;
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
      throw badFile('unreadable_file', 'the SQLite file is not a GeoPackage (no gpkg_contents / gpkg_geometry_columns tables)');
    }
    if (!layers.length) throw badFile('no_features', 'the GeoPackage has no feature table');
    const layer = layers[0];
    const warnings = layers.length > 1 ? [`the GeoPackage has ${layers.length} feature tables; only ${layer.table_name} was read`] : [];
    let crs: Crs | undefined;
    const org = String(layer.organization ?? '').toUpperCase();
    if (org === 'EPSG') crs = crsOfEpsg(Number(layer.organization_coordsys_id));
    if (!crs && layer.definition && String(layer.definition) !== 'undefined') crs = crsOfPrj(String(layer.definition));
    if (!crs && Number(layer.srs_id) !== 0 && Number(layer.srs_id) !== -1) throw badFile('unknown_projection', `unknown projection: the GeoPackage's SRS ${layer.srs_id} is not one this map reads; give it with ?crs=EPSG:…`);
    const table = String(layer.table_name).replace(/"/g, '""');
    const geomCol = String(layer.column_name);
    const info = rows(`PRAGMA table_info("${table}")`);
    const pk = info.find((c) => Number(c.pk) === 1)?.name;
    const fields = info.map((c) => String(c.name)).filter((n) => n !== geomCol && n !== pk);
    const read = (row: Record<string, unknown>): SourceFeature => {
      const blob = row[geomCol] as Uint8Array | null;
      const properties: Record<string, unknown> = {};
      for (const f of fields) properties[f] = row[f] instanceof Uint8Array ? null : row[f];
      return { type: 'Feature', geometry: blob ? readGpkgGeometry(blob).geometry : null, properties };
    };
    const sample = rows(`SELECT * FROM "${table}" LIMIT 100`).map(read);
    const opened = db;
    owned = false; // the batches or close() close it
    let closed = false;
    const close = () => {
      if (!closed) opened.close();
      closed = true;
    };
    return {
      format: 'gpkg', crs, fields, warnings, sample, close,
      async *batches(size: number) {
        const st = opened.prepare(`SELECT * FROM "${table}"`);
        try {
          let batch: SourceFeature[] = [];
          while (st.step()) {
            batch.push(read(st.getAsObject()));
            if (batch.length >= size) {
              yield batch;
              batch = [];
            }
          }
          if (batch.length) yield batch;
        } finally {
          st.free();
          close();
        }
      },
    };
  } finally {
    if (owned) db.close();
  }
}

