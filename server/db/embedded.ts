import { mkdirSync, accessSync, constants } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from './types.js';
import { OID } from './types.js';
import { StartupError } from '../errors.js';

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

export async function openEmbedded(dataDir: string): Promise<Db> {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (e) {
    throw new StartupError(`DATA_DIR ${dataDir} is not writable (${(e as NodeJS.ErrnoException).code}): choose a folder you may write to, e.g. DATA_DIR=./.data`);
  }
  const pg = new PGlite(`${dataDir}/pgdata`, { extensions: { postgis }, parsers });
  await pg.waitReady;
  await pg.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  const base = wrap(pg);
  return {
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
      await pg.close();
    },
  };
}

