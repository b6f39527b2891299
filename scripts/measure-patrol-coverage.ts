/**
 * Times the patrol coverage analysis on the demo township: loads data/demo into a scratch database
 * (a temporary embedded one, or DATABASE_URL: a scratch database, whose tables are emptied first,
 * so one that holds data is refused unless --force) and runs GET /api/analysis/patrol-coverage's
 * query for each demo month. Prints the units by status and the time per run.
 *   npx tsx scripts/measure-patrol-coverage.ts [--force]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/db/index.js';
import { migrate } from '../server/db/migrate.js';
import { seedDemo } from '../server/seed/demo.js';
import { COLLECTIONS } from '../server/collections/registry.js';
import { patrolCoverage } from '../server/analysis/patrols.js';
import { monthOf, parseRoads } from '../server/analysis/params.js';

const url = process.env.DATABASE_URL;
const db = await openDatabase(url ? { databaseUrl: url, dataDir: '' } : { dataDir: mkdtempSync(join(tmpdir(), 'remap-measure-')) });
await migrate(db);
if (url) {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM roads');
  if (rows[0].n > 0 && !process.argv.includes('--force')) {
    console.error(`${url.replace(/\/\/[^@]*@/, '//')} holds data; this script empties it. Point DATABASE_URL at a scratch database, or pass --force.`);
    process.exit(1);
  }
  await db.exec(`TRUNCATE ${COLLECTIONS.map((c) => c.table).join(', ')} RESTART IDENTITY CASCADE; DELETE FROM app_meta; TRUNCATE users, sessions, api_tokens RESTART IDENTITY CASCADE;`);
}
await seedDemo(db);
await db.exec('ANALYZE');
const { roads, codes } = await parseRoads(db, undefined);
for (const month of ['2026-09', '2026-10', '2026-11']) {
  const times: number[] = [];
  let r;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    r = await patrolCoverage(db, { roads, roadCodes: codes, month: monthOf(month)!, buffer_m: 30, min_share: 0.8 });
    times.push(performance.now() - t0);
  }
  const t = r!.total;
  console.log(`${url ? 'postgres' : 'embedded'} ${month}: ${t.units} units, ${t.covered_units} covered (${t.covered_pct} %), ${t.earlier_units} earlier, ${t.never_units} never, ${t.patrols} patrols; ${times.map((x) => x.toFixed(0)).join(' / ')} ms`);
}
await db.close();
