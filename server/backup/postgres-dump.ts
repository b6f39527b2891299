/**
 * Real PostgreSQL: pg_dump's custom format (pg_restore-compatible) taken in one snapshot together
 * with the manifest's checksums, and the way back through pg_restore and psql in one transaction.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { BackupError } from './archive.js';
import { databaseFacts, tableStats, compareStats, type RunQuery, type TableStats } from './manifest.js';
import { startTool, firstError } from './run-tool.js';
import { sqlFile } from '../db/sql.js';

export const POSTGRES_DUMP_FILE = 'database.pgdump';

function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (e) {
    throw new BackupError(`cannot connect to PostgreSQL at ${where(url)}: ${(e as Error).message}. Check DATABASE_URL and that the server is running.`);
  }
  return client;
}

const runner = (client: pg.Client): RunQuery => async <T>(text: string) => (await client.query(text)).rows as T[];

/** Checksums read rows as text: fix the settings that change that text. */
const STATS_SETTINGS = "SET TimeZone = 'UTC'; SET extra_float_digits = 1; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'";

export async function dumpPostgres(url: string, staging: string): Promise<{ tables: Record<string, TableStats>; facts: Awaited<ReturnType<typeof databaseFacts>> }> {
  const client = await connect(url);
  try {
    await client.query(STATS_SETTINGS);
    // pg_dump joins this transaction's snapshot: the dump and the checksums see the same data
    // even while the server keeps writing.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const facts = await databaseFacts(runner(client)).catch(() => {
      throw new BackupError(`the database at ${where(url)} has no Remediation Map tables (no schema_migrations): check DATABASE_URL`);
    });
    const { rows } = await client.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    const dump = startTool('pg_dump', ['--format=custom', `--snapshot=${rows[0].snapshot}`, `--file=${join(staging, POSTGRES_DUMP_FILE)}`, `--dbname=${url}`]);
    const tables = await tableStats(runner(client));
    const result = await dump.done;
    if (result.code !== 0) throw new BackupError(`pg_dump failed: ${firstError(result.stderr)}`);
    await client.query('COMMIT');
    return { tables, facts };
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether the database already holds tables of its own (PostGIS's do not count). */
export async function postgresHasData(url: string): Promise<boolean> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ exists: boolean }>(sqlFile('backup/app_tables_exist'));
    return rows[0].exists;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Restores the dump into `url` in one transaction (psql --single-transaction): either all of it
 * or, on any error, nothing, with the old tables still there. `replace` drops the app's objects
 * first, inside the same transaction. PostGIS itself is not restored from the dump (the target
 * keeps or creates its own, whatever its version), so the extension's entries are left out.
 */
export async function restorePostgres(url: string, dir: string, expected: Record<string, TableStats>, replace: boolean): Promise<void> {
  const dumpFile = join(dir, POSTGRES_DUMP_FILE);
  const list = await startTool('pg_restore', ['--list', dumpFile], { captureStdout: true }).done;
  if (list.code !== 0) throw new BackupError(`the database dump in the backup cannot be read: ${firstError(list.stderr)}`);
  const listFile = join(dir, 'restore.list');
  writeFileSync(listFile, list.stdout.split('\n').filter((l) => !/^\d+;.* (EXTENSION|COMMENT - EXTENSION) /.test(l)).join('\n'));

  // The script is written out first: piping it straight into psql would let psql commit the part
  // it got if pg_restore stopped half-way.
  const scriptFile = join(dir, 'restore.sql');
  const made = await startTool('pg_restore', ['--no-owner', `--use-list=${listFile}`, `--file=${scriptFile}`, dumpFile]).done;
  if (made.code !== 0) throw new BackupError(`pg_restore could not read the dump: ${firstError(made.stderr)}; the database was not changed`);
  const preambleFile = join(dir, 'restore-preamble.sql');
  writeFileSync(preambleFile, ['SET client_min_messages = warning;', 'CREATE EXTENSION IF NOT EXISTS postgis;', replace ? sqlFile('backup/drop_app_objects') : ''].join('\n'));
  const applied = await startTool('psql', ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--single-transaction', `--dbname=${url}`, `--file=${preambleFile}`, `--file=${scriptFile}`]).done;
  if (applied.code !== 0) throw new BackupError(`restoring into ${where(url)} failed and was rolled back, the database is as it was: ${firstError(applied.stderr)}`);

  const client = await connect(url);
  try {
    await client.query(STATS_SETTINGS);
    const diffs = compareStats(expected, await tableStats(runner(client)));
    if (diffs.length) throw new BackupError(`the restored database differs from the backup's checksums (${diffs.slice(0, 3).join('; ')}): report this, and keep the backup file`);
  } finally {
    await client.end().catch(() => {});
  }
}
