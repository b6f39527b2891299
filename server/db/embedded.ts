import { mkdirSync, accessSync, constants } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from './types.js';
import { OID } from './types.js';
import { StartupError } from '../errors.js';
import { lockDataDir } from './data-dir-lock.js';

// Dates stay 'YYYY-MM-DD' strings (a calendar day has no time zone); int8 becomes a number
// because ids and counts stay far below 2^53. The postgres engine parses the same way.
const parsers = {
  [OID.int8]: (v: string) => Number(v),
  [OID.date]: (v: string) => v,
};

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async exec(text: string) {
      await q.exec(text);
    },
    async query<T>(text: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  };
}

/** PGlite's options for our data: PostGIS and the parsers above (also used by restore). */
export const pgliteOptions = { extensions: { postgis }, parsers };

/** Where the PGlite files live inside DATA_DIR. */
export const pgdataDir = (dataDir: string) => `${dataDir}/pgdata`;

export async function openEmbedded(dataDir: string, holder = 'the server'): Promise<Db> {
  return (await openEmbeddedWithHandle(dataDir, holder)).db;
}

/** The Db and the PGlite behind it (backup needs PGlite's own dump). */
export async function openEmbeddedWithHandle(dataDir: string, holder = 'the server'): Promise<{ db: Db; pglite: PGlite }> {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (e) {
    throw new StartupError(`DATA_DIR ${dataDir} is not writable (${(e as NodeJS.ErrnoException).code}): choose a folder you may write to, e.g. DATA_DIR=./.data`);
  }
  const unlock = lockDataDir(dataDir, holder);
  let pg: PGlite;
  try {
    pg = new PGlite(pgdataDir(dataDir), pgliteOptions);
    await pg.waitReady;
    await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (e) {
    unlock();
    throw e;
  }
  const base = wrap(pg);
  const db: Db = {
    engine: 'embedded',
    ...base,
    async transaction(fn) {
      return pg.transaction((tx) => fn(wrap(tx)));
    },
    async listen(channel, { onMessage }) {
      // One process owns the embedded database, so no notification can be lost.
      return pg.listen(channel, onMessage);
    },
    async close() {
      try {
        await pg.close();
      } finally {
        unlock();
      }
    },
  };
  return { db, pglite: pg };
}
