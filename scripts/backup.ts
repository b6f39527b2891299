/**
 * `npm run backup -- <file> [--force]`: writes the database named by DATABASE_URL (or the embedded
 * one in DATA_DIR) and DATA_DIR/media into one file. --force overwrites an existing file.
 */
import { readConfig } from '../server/config.js';
import { backup } from '../server/backup/backup.js';
import { runCli } from './lib/cli.js';

await runCli('backup', 'npm run backup -- <file> [--force]', async (file, force) => {
  const config = readConfig();
  const started = Date.now();
  const m = await backup(config, file, { overwrite: force });
  const rows = Object.values(m.tables).reduce((s, t) => s + t.rows, 0);
  const media = Object.keys(m.files).filter((f) => f.startsWith('media/')).length;
  console.log(`backed up ${m.engine === 'postgres' ? 'PostgreSQL' : 'the embedded database'} (${Object.keys(m.tables).length} tables, ${rows} rows, migration ${m.migration_version}) and ${media} media files to ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
