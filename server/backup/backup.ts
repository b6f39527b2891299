/** `npm run backup -- <file>`: the database (the engine the settings name) and DATA_DIR/media in one file. */
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackupError, fileEntries, mediaFiles, scratchDir, writeArchive } from './archive.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, type Manifest } from './manifest.js';
import { dumpPostgres, POSTGRES_DUMP_FILE } from './postgres-dump.js';
import { dumpEmbedded, EMBEDDED_DUMP_FILE } from './embedded-dump.js';
import { stageMedia } from './media.js';

export interface Target {
  dataDir: string;
  databaseUrl?: string;
}

export async function backup(target: Target, file: string, { overwrite = false } = {}): Promise<Manifest> {
  if (existsSync(file) && !overwrite) throw new BackupError(`${file} already exists: choose another name, or pass --force to overwrite it`);
  if (!statSync(dirname(file), { throwIfNoEntry: false })?.isDirectory()) throw new BackupError(`the folder ${dirname(file)} does not exist: create it first or choose another place for the backup`);
  const staging = scratchDir('remap-backup-');
  try {
    const engine = target.databaseUrl ? 'postgres' : 'embedded';
    const { tables, facts } = target.databaseUrl ? await dumpPostgres(target.databaseUrl, staging) : await dumpEmbedded(target.dataDir, staging);
    const databaseFile = engine === 'postgres' ? POSTGRES_DUMP_FILE : EMBEDDED_DUMP_FILE;
    stageMedia(target.dataDir, staging);
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      format_version: BACKUP_FORMAT_VERSION,
      created_at: new Date().toISOString(),
      engine,
      ...facts,
      database_file: databaseFile,
      tables,
      files: await fileEntries(staging, [databaseFile, ...mediaFiles(staging)]),
    };
    await writeArchive(file, staging, manifest);
    return manifest;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
