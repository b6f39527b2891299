/**
 * The server process: read settings, open the database, migrate, load the demo township into an
 * empty database, listen, and on SIGINT/SIGTERM finish in-flight requests and close the database.
 * A bad setting stops the start with one line that says what to fix.
 */
import { readConfig } from './config.js';
import { openDatabase, type Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { seedDemo } from './seed/demo.js';
import { ensureAdmin, hasUsers } from './auth/users.js';
import { SERVER_ACTOR } from './audit/log.js';
import { buildApp } from './app.js';
import { StartupError } from './errors.js';
import type { FastifyInstance } from 'fastify';
import { createServer } from 'node:net';
import { removeStaleScratch } from './formats/spool.js';

function listenError(e: NodeJS.ErrnoException, port: number, host: string): Error {
  if (e.code === 'EADDRINUSE') return new StartupError(`port ${port} on ${host} is already in use: stop the other server or set PORT to a free port`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') return new StartupError(`HOST=${host} is not an address of this machine: use 127.0.0.1`);
  if (e.code === 'EACCES') return new StartupError(`port ${port} needs privileges: set PORT to 1024 or above`);
  return e;
}

/** Finds a taken port before the database opens (which takes seconds), so the user hears at once. */
function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (e) => reject(listenError(e as NodeJS.ErrnoException, port, host)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

let db: Db | undefined;

async function fail(message: string): Promise<never> {
  console.error(`整治一张图 cannot start: ${message}`);
  await db?.close().catch(() => {});
  process.exit(1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = readConfig();
  const where = config.databaseUrl ? 'PostgreSQL + PostGIS (DATABASE_URL)' : `embedded PostGIS (PGlite) in ${config.dataDir}`;
  console.log(`整治一张图 Remediation Map: opening ${where} …`);
  let app: FastifyInstance | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      console.error(`${signal} again: stopping now`);
      process.exit(130);
    }
    closing = true;
    console.log(`${signal}: finishing requests and closing the database …`);
    try {
      await app?.close();
      await db?.close();
      console.log('stopped cleanly');
      process.exit(0);
    } catch (e) {
      console.error(`error while stopping: ${(e as Error).message}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await checkPortFree(config.port, config.host);
  db = await openDatabase(config);
  const applied = await migrate(db);
  if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);
  if (config.admin && (await ensureAdmin(db, SERVER_ACTOR, config.admin.username, config.admin.password))) {
    console.log(`created the admin ${config.admin.username} (ADMIN_USERNAME)`);
  }
  if (config.seedDemo) {
    const seeded = await seedDemo(db);
    if (seeded) {
      console.log(`loaded the demo township: ${Object.entries(seeded.counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
      // Printed once, at the start that made them: they are for trying the app, never for real use.
      if (seeded.users.length) {
        console.log('demo users (DEMO ONLY: change their passwords or disable them before real use):');
        for (const u of seeded.users) console.log(`  ${u.role.padEnd(15)} ${u.username} / ${u.password}`);
      }
    }
  }
  if (!(await hasUsers(db))) {
    console.log('no user exists yet: create the first admin with `npm run user -- create --role admin --name <name>`, or start with ADMIN_USERNAME and ADMIN_PASSWORD');
  }
  // The planner needs statistics (road_units without them turns a setback search from seconds
  // into minutes), and edits leave dead rows behind. PostgreSQL's autovacuum sees to both; PGlite
  // has no autovacuum, so the embedded engine vacuums and analyses at every start (a sample of at
  // most 30,000 rows a table: the demo township 0.23 s, the same as ANALYZE alone).
  if (db.engine === 'embedded') await db.exec('VACUUM (ANALYZE)');
  // Uploads of imports a killed server left in TMPDIR (formats/spool.ts).
  await removeStaleScratch();
  app = await buildApp(db, config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    throw listenError(e as NodeJS.ErrnoException, config.port, config.host);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const health = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
  console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s on http://${config.host}:${port} — database: ${db.engine} (PostGIS ${health.rows[0].v})`);
}

main().catch(async (e) => {
  if (e instanceof StartupError) return fail(e.message);
  console.error(e);
  return fail(`${(e as Error).message}`);
});
