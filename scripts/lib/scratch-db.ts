import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A scratch database next to the one DATABASE_URL names (benchmarks and tests never write into
 * the user's own database). Returns its URL and a function that drops it.
 */
export async function createScratchDb(baseUrl: string, suffix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(baseUrl);
  const name = `${url.pathname.slice(1) || 'postgres'}_${suffix}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  const scratch = new pg.Client({ connectionString: url.toString() });
  await scratch.connect();
  await scratch.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await scratch.end();
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Where a benchmark's server keeps its data for one engine: a scratch database next to
 * DATABASE_URL (postgres) or a new DATA_DIR (embedded); `drop` removes the database.
 */
export async function benchStore(engine: string, suffix: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (engine === 'postgres') {
    if (!process.env.DATABASE_URL) throw new Error('BENCH_ENGINES=postgres needs DATABASE_URL');
    const scratch = await createScratchDb(process.env.DATABASE_URL, suffix);
    return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
  }
  return { env: { DATA_DIR: mkdtempSync(join(tmpdir(), `remap-${suffix.replace(/_/g, '-')}-`)) }, drop: async () => {} };
}
