/**
 * `npm run restore -- <file> [--force]`: the whole file is checked before anything changes; a
 * target that already holds data is refused unless --force, which replaces it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { BackupError, readArchive } from './archive.js';
import type { Manifest } from './manifest.js';
import { postgresHasData, restorePostgres } from './postgres-dump.js';
import { hasEmbeddedDatabase, restoreEmbedded } from './embedded-dump.js';
import { hasMedia, restoreMedia } from './media.js';
import { lockDataDir } from '../db/data-dir-lock.js';
import { listMigrations } from '../db/migrate.js';
import type { Target } from './backup.js';

const ENGINE_NAMES = { embedded: 'the embedded database (PGlite, DATA_DIR)', postgres: 'PostgreSQL (DATABASE_URL)' };

function checkFits(manifest: Manifest, engine: 'embedded' | 'postgres'): void {
  if (manifest.engine !== engine) {
    const how = manifest.engine === 'embedded' ? 'unset DATABASE_URL and set DATA_DIR' : 'set DATABASE_URL to a PostgreSQL with PostGIS';
    throw new BackupError(`this backup is of ${ENGINE_NAMES[manifest.engine]} and cannot go into ${ENGINE_NAMES[engine]} (their dumps are not interchangeable): ${how} to restore it`);
  }
  const latest = Math.max(0, ...listMigrations().map((m) => m.version));
  if (manifest.migration_version > latest) {
    throw new BackupError(`this backup was made by a newer version of the app (migration ${manifest.migration_version}, this one knows up to ${latest}): update the app first`);
  }
}

export async function restore(target: Target, file: string, { force = false } = {}): Promise<Manifest> {
  const engine = target.databaseUrl ? 'postgres' : 'embedded';
  const { dir, manifest } = await readArchive(file);
  try {
    checkFits(manifest, engine);
    // Media live in DATA_DIR with either engine; the lock keeps a server on it out meanwhile.
    mkdirSync(target.dataDir, { recursive: true });
    const unlock = lockDataDir(target.dataDir, 'npm run restore');
    try {
      const media = hasMedia(target.dataDir);
      if (target.databaseUrl) {
        const data = await postgresHasData(target.databaseUrl);
        if ((data || media) && !force) throw new BackupError(`the target already holds data (${[data && 'tables in the database', media && 'DATA_DIR/media'].filter(Boolean).join(', ')}): restore into an empty database, or pass --force to drop the app's tables and media and replace them`);
        await restorePostgres(target.databaseUrl, dir, manifest.tables, force);
      } else {
        const data = hasEmbeddedDatabase(target.dataDir);
        if ((data || media) && !force) throw new BackupError(`DATA_DIR ${target.dataDir} already holds a database${media ? ' and media' : ''}: restore into an empty DATA_DIR, or pass --force to replace them`);
        await restoreEmbedded(target.dataDir, dir, manifest.tables);
      }
      restoreMedia(target.dataDir, dir);
    } finally {
      unlock();
    }
    return manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
