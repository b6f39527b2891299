/**
 * manifest.json of a backup: what it holds and how to check it. Row counts and checksums per
 * table are taken in the same snapshot as the dump, and compared again after a restore.
 */
import { sqlFile, fillTemplate, ident } from '../db/sql.js';

export const BACKUP_FORMAT = 'remediation-map-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface TableStats {
  rows: number;
  md5: string;
}

export interface FileEntry {
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  format_version: number;
  created_at: string;
  engine: 'embedded' | 'postgres';
  /** Highest migration applied in the backed-up database. */
  migration_version: number;
  /** PostgreSQL's version string (PGlite: its PostgreSQL) and PostGIS's. */
  server_version: string;
  postgis_version: string;
  /** The database dump inside the archive. */
  database_file: string;
  tables: Record<string, TableStats>;
  /** Every file of the archive but the manifest (the dump and media/…), with its checksum. */
  files: Record<string, FileEntry>;
}

/** Runs one statement and returns its rows (a Db, a pg client inside a transaction, …). */
export type RunQuery = <T>(text: string) => Promise<T[]>;

/** Row count and checksum of every app table. */
export async function tableStats(run: RunQuery): Promise<Record<string, TableStats>> {
  const out: Record<string, TableStats> = {};
  for (const { name } of await run<{ name: string }>(sqlFile('backup/tables'))) {
    const [s] = await run<{ rows: number | string; md5: string }>(fillTemplate('backup/table_stats', { table: ident(name) }));
    out[name] = { rows: Number(s.rows), md5: s.md5 };
  }
  return out;
}

export async function databaseFacts(run: RunQuery): Promise<{ migration_version: number; server_version: string; postgis_version: string }> {
  const [m] = await run<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const [v] = await run<{ server: string; postgis: string }>("SELECT current_setting('server_version') AS server, postgis_lib_version() AS postgis");
  return { migration_version: Number(m.v ?? 0), server_version: v.server, postgis_version: v.postgis };
}

/** Names the tables whose count or checksum differ between two sets of statistics. */
export function compareStats(expected: Record<string, TableStats>, actual: Record<string, TableStats>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const diffs: string[] = [];
  for (const name of [...names].sort()) {
    const e = expected[name];
    const a = actual[name];
    if (!e) diffs.push(`${name}: not in the backup`);
    else if (!a) diffs.push(`${name}: missing after the restore`);
    else if (e.rows !== a.rows) diffs.push(`${name}: ${a.rows} rows, the backup has ${e.rows}`);
    else if (e.md5 !== a.md5) diffs.push(`${name}: content differs from the backup`);
  }
  return diffs;
}

/** Checks the parts of a manifest that restore relies on; returns what is wrong, or undefined. */
export function manifestProblem(m: unknown): string | undefined {
  const x = m as Partial<Manifest> | null;
  if (!x || typeof x !== 'object' || x.format !== BACKUP_FORMAT) return 'it has no Remediation Map manifest';
  if (x.format_version !== BACKUP_FORMAT_VERSION) return `its format version ${x.format_version} is not ${BACKUP_FORMAT_VERSION}: use the app version that wrote it`;
  if (x.engine !== 'embedded' && x.engine !== 'postgres') return `its engine "${x.engine}" is unknown`;
  if (typeof x.database_file !== 'string' || !x.files?.[x.database_file]) return 'its manifest does not list the database dump';
  if (!x.tables || typeof x.tables !== 'object') return 'its manifest has no table checksums';
  return undefined;
}
