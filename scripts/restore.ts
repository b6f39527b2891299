/**
 * `npm run restore -- <file> [--force]`: brings back a file written by `npm run backup` into the
 * database named by DATABASE_URL (or the embedded one in DATA_DIR) and DATA_DIR/media. A target
 * that holds data is refused unless --force, which replaces the app's tables and media.
 */
import { readConfig } from '../server/config.js';
import { restore } from '../server/backup/restore.js';
import { runCli } from './lib/cli.js';

await runCli('restore', 'npm run restore -- <file> [--force]', async (file, force) => {
  const config = readConfig();
  const started = Date.now();
  const m = await restore(config, file, { force });
  const rows = Object.values(m.tables).reduce((s, t) => s + t.rows, 0);
  console.log(`restored the backup of ${m.created_at} (${Object.keys(m.tables).length} tables, ${rows} rows, checksums match) in ${((Date.now() - started) / 1000).toFixed(1)} s${force ? '; what was there before was replaced' : ''}`);
});
