/**
 * The embedded engine: PGlite's own dump of its data folder (dumpDataDir), taken by this process
 * alone: the DATA_DIR lock keeps the server out while it runs. Restore loads the dump into a
 * folder next to the live one, checks it against the manifest, and only then swaps the folders.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openEmbeddedWithHandle, pgliteOptions, pgdataDir } from '../db/embedded.js';
import { BackupError } from './archive.js';
import { compareStats, databaseFacts, tableStats, type RunQuery, type TableStats } from './manifest.js';

export const EMBEDDED_DUMP_FILE = 'database.pglite.tar';

export const hasEmbeddedDatabase = (dataDir: string) => existsSync(join(pgdataDir(dataDir), 'PG_VERSION'));

export async function dumpEmbedded(dataDir: string, staging: string): Promise<{ tables: Record<string, TableStats>; facts: Awaited<ReturnType<typeof databaseFacts>> }> {
  if (!hasEmbeddedDatabase(dataDir)) {
    throw new BackupError(`there is no embedded database in DATA_DIR ${dataDir}: nothing to back up (check DATA_DIR, or set DATABASE_URL to back up PostgreSQL)`);
  }
  const { db, pglite } = await openEmbeddedWithHandle(dataDir, 'npm run backup');
  try {
    const run: RunQuery = async <T>(text: string) => (await db.query<T>(text)).rows;
    const facts = await databaseFacts(run);
    const tables = await tableStats(run);
    // Pages changed since the last checkpoint live in PGlite's memory and its WAL; a checkpoint
    // puts them into the data files, so the dump needs no WAL replay when it is loaded.
    await db.exec('CHECKPOINT');
    const dump = await pglite.dumpDataDir('none');
    writeFileSync(join(staging, EMBEDDED_DUMP_FILE), new Uint8Array(await dump.arrayBuffer()));
    return { tables, facts };
  } finally {
    await db.close();
  }
}

/**
 * Loads the dump into DATA_DIR/pgdata.restoring, compares every table with the manifest, then
 * replaces DATA_DIR/pgdata with it. Until the swap, the old database is untouched. The caller
 * holds the DATA_DIR lock.
 */
export async function restoreEmbedded(dataDir: string, dir: string, expected: Record<string, TableStats>): Promise<void> {
  const live = pgdataDir(dataDir);
  const incoming = `${live}.restoring`;
  const previous = `${live}.previous`;
  rmSync(incoming, { recursive: true, force: true }); // left by a restore that was killed
  try {
    const pg = new PGlite(incoming, { ...pgliteOptions, loadDataDir: new Blob([readFileSync(join(dir, EMBEDDED_DUMP_FILE))]) });
    try {
      await pg.waitReady;
      const run: RunQuery = async <T>(text: string) => (await pg.query<T>(text)).rows;
      const diffs = compareStats(expected, await tableStats(run));
      if (diffs.length) throw new BackupError(`the backup's database does not match its own checksums (${diffs.slice(0, 3).join('; ')}): use another copy of the backup`);
    } finally {
      await pg.close();
    }
  } catch (e) {
    rmSync(incoming, { recursive: true, force: true });
    if (e instanceof BackupError) throw e;
    throw new BackupError(`the database in the backup cannot be loaded (${(e as Error).message}): use another copy of the backup; DATA_DIR was not changed`);
  }
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(live)) renameSync(live, previous);
  renameSync(incoming, live);
  rmSync(previous, { recursive: true, force: true });
}
