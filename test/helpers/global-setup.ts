/**
 * Before the db or api tier: on TEST_ENGINE=postgres, create a scratch database (with PostGIS) next
 * to the one DATABASE_URL names, so tests never touch the data of DATABASE_URL itself; drop it after.
 */
import type { TestProject } from 'vitest/node';
import { createScratchDb } from '../../scripts/lib/scratch-db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const engine = process.env.TEST_ENGINE ?? 'embedded';
  if (engine !== 'postgres') {
    project.provide('databaseUrl', null);
    return;
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('TEST_ENGINE=postgres needs DATABASE_URL (a PostgreSQL with PostGIS available)');
  const scratch = await createScratchDb(base, `${project.name}_${process.pid}`);
  project.provide('databaseUrl', scratch.url);
  return scratch.drop;
}
