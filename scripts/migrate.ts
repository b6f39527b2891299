/** `npm run migrate`: applies pending migrations to the database the settings name, then stops. */
import { readConfig } from '../server/config.js';
import { openDatabase } from '../server/db/index.js';
import { migrate } from '../server/db/migrate.js';
import { StartupError } from '../server/errors.js';

try {
  const config = readConfig();
  const db = await openDatabase({ ...config, holder: 'npm run migrate' });
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
  await db.close();
} catch (e) {
  console.error(e instanceof StartupError ? `migrate: ${e.message}` : e);
  process.exit(1);
}
